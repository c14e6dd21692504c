/**
 * The raw floors of the coordination benchmarks: the minimal promise queue,
 * semaphore and ordered concurrency-limited map a Node programmer writes by
 * hand (no library). They hand an item or a permit straight to a parked
 * resolver, and yield with `await null` (one microtask).
 */

/** Items, or parked resolvers waiting for one. */
export class PromiseQueue<T> {
  private items: T[] = [];
  private head = 0;
  private getters: ((v: T) => void)[] = [];
  put(item: T): void {
    const g = this.getters.shift();
    if (g) g(item);
    else this.items.push(item);
  }
  get(): Promise<T> | T {
    if (this.head < this.items.length) {
      const item = this.items[this.head++]!;
      if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
      return item;
    }
    return new Promise<T>((resolve) => this.getters.push(resolve));
  }
}

/** A permit count, or parked resolvers waiting for a permit. */
export class PromiseSemaphore {
  private waiters: (() => void)[] = [];
  constructor(private permits: number) {}
  acquire(): Promise<void> | undefined {
    if (this.permits > 0) {
      this.permits--;
      return undefined;
    }
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }
  release(): void {
    const w = this.waiters.shift();
    if (w) w();
    else this.permits++;
  }
}

/** Ordered map with at most `limit` in flight, like p-map with a concurrency. */
export async function promiseMap<T, R>(
  items: T[],
  limit: number,
  fn: (x: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
