import * as tinyqueue from 'tinyqueue';

/** The part of tinyqueue's heap the hub uses. */
export interface Heap<T> {
  data: T[];
  length: number;
  peek(): T | undefined;
  pop(): T | undefined;
  push(item: T): void;
}

type HeapClass = new <T>(items: T[], compare: (a: T, b: T) => number) => Heap<T>;

// tinyqueue 2 is UMD: module.exports is the class, while its typings say
// `export default`; reach the class whichever way this build imported it.
function heapClass(module: unknown): HeapClass {
  let m = module as { default?: unknown };
  while (typeof m !== 'function') m = m.default as { default?: unknown };
  return m as unknown as HeapClass;
}

/**
 * tinyqueue's binary heap, typed for both builds: the hub's timer queue and
 * `PriorityQueue` stand on it.
 */
export const BinaryHeap: HeapClass = heapClass(tinyqueue);
