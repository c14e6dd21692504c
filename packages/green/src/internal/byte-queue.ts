const EMPTY: Buffer = Buffer.alloc(0);

/**
 * Received bytes waiting to be read, as a FIFO of the chunks they came in:
 * the receive buffer of green sockets, socket files and stream files. The
 * chunks sit in a power-of-two ring that is reused and only grows, so a
 * steady stream of pushes and takes allocates nothing of its own; `take`
 * hands out a whole chunk or a view of one, copying only when the bytes
 * asked for span several chunks.
 */
export class ByteQueue {
  private ring: Buffer[] = [EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY];
  private mask = 7;
  private head = 0;
  private chunks = 0;
  private bytes = 0;

  /** How many bytes are waiting. */
  get length(): number {
    return this.bytes;
  }

  /** Appends a chunk (kept as is, not copied). */
  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.chunks === this.ring.length) this.grow();
    this.ring[(this.head + this.chunks) & this.mask] = chunk;
    this.chunks++;
    this.bytes += chunk.length;
  }

  /** Removes and returns the first `min(n, length)` bytes. */
  take(n: number): Buffer {
    if (n <= 0 || this.bytes === 0) return EMPTY;
    const first = this.ring[this.head]!;
    if (first.length > n) {
      this.ring[this.head] = first.subarray(n);
      this.bytes -= n;
      return first.subarray(0, n);
    }
    if (first.length === n || this.chunks === 1) {
      this.shift();
      this.bytes -= first.length;
      return first;
    }
    // Several chunks: coalesce up to n bytes, as the kernel would.
    const out = Buffer.allocUnsafe(Math.min(n, this.bytes));
    this.copyOut(out, out.length);
    return out;
  }

  /** Moves up to `n` bytes into `target` (from offset 0); returns how many. */
  takeInto(target: Uint8Array, n: number): number {
    const size = Math.min(n, this.bytes, target.length);
    this.copyOut(target, size);
    return size;
  }

  /** The offset of the first `byte` at or after `from`, or -1. */
  indexOf(byte: number, from = 0): number {
    let base = 0;
    for (let i = 0; i < this.chunks; i++) {
      const chunk = this.ring[(this.head + i) & this.mask]!;
      const end = base + chunk.length;
      if (from < end) {
        const at = chunk.indexOf(byte, from > base ? from - base : 0);
        if (at >= 0) return base + at;
      }
      base = end;
    }
    return -1;
  }

  /** A copy of every waiting byte; nothing is removed. */
  peekAll(): Buffer {
    const out = Buffer.allocUnsafe(this.bytes);
    let at = 0;
    for (let i = 0; i < this.chunks; i++) {
      const chunk = this.ring[(this.head + i) & this.mask]!;
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }

  /** Removes and returns every chunk, oldest first (to hand them back to a stream). */
  drain(): Buffer[] {
    const out: Buffer[] = [];
    while (this.chunks !== 0) out.push(this.shift());
    this.bytes = 0;
    return out;
  }

  /** Drops everything. */
  clear(): void {
    while (this.chunks !== 0) this.shift();
    this.bytes = 0;
  }

  /** Copies `size` (<= length) bytes into `target`, consuming them. */
  private copyOut(target: Uint8Array, size: number): void {
    let at = 0;
    while (at < size) {
      const chunk = this.ring[this.head]!;
      const want = size - at;
      if (chunk.length > want) {
        target.set(chunk.subarray(0, want), at);
        this.ring[this.head] = chunk.subarray(want);
        at = size;
      } else {
        target.set(chunk, at);
        at += chunk.length;
        this.shift();
      }
    }
    this.bytes -= size;
  }

  private shift(): Buffer {
    const chunk = this.ring[this.head]!;
    this.ring[this.head] = EMPTY;
    this.head = (this.head + 1) & this.mask;
    this.chunks--;
    return chunk;
  }

  private grow(): void {
    const ring: Buffer[] = new Array<Buffer>(this.ring.length * 2).fill(EMPTY);
    for (let i = 0; i < this.chunks; i++) ring[i] = this.ring[(this.head + i) & this.mask]!;
    this.ring = ring;
    this.mask = ring.length - 1;
    this.head = 0;
  }
}
