/**
 * The floors' run queue: a FIFO ring buffer over a power-of-two array, the
 * least a hand-written scheduler needs (push at the tail, shift at the head,
 * double when full). Written here rather than borrowed from the hub, so the
 * floor stays put whatever the hub's own queue becomes.
 */
export class RingQueue<T> {
  private items: (T | undefined)[] = new Array(1024);
  private head = 0;
  private size = 0;

  get length(): number {
    return this.size;
  }

  push(item: T): void {
    if (this.size === this.items.length) this.grow();
    this.items[(this.head + this.size) & (this.items.length - 1)] = item;
    this.size++;
  }

  shift(): T | undefined {
    if (this.size === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) & (this.items.length - 1);
    this.size--;
    return item;
  }

  private grow(): void {
    const old = this.items;
    const next: (T | undefined)[] = new Array(old.length * 2);
    for (let i = 0; i < this.size; i++) next[i] = old[(this.head + i) & (old.length - 1)];
    this.items = next;
    this.head = 0;
  }
}
