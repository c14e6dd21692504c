import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { assertIdle } from '@verdant/hub/testing';
import { ByteQueue } from '../src/internal/byte-queue.ts';

afterEach(() => assertIdle());

function queueOf(...chunks: string[]): ByteQueue {
  const q = new ByteQueue();
  for (const c of chunks) q.push(Buffer.from(c));
  return q;
}

test('take hands out a whole chunk or a view of one without copying', () => {
  const first = Buffer.from('hello');
  const q = new ByteQueue();
  q.push(first);
  q.push(Buffer.from('world'));
  assert.equal(q.length, 10);
  const he = q.take(2);
  assert.equal(he.toString(), 'he');
  assert.equal(he.buffer, first.buffer, 'a view of the first chunk');
  assert.equal(q.take(3).toString(), 'llo');
  assert.equal(q.length, 5);
  assert.equal(q.take(5).toString(), 'world');
  assert.equal(q.length, 0);
  assert.equal(q.take(5).length, 0, 'empty: an empty buffer');
});

test('take coalesces across chunks up to n bytes, and never more than there is', () => {
  const q = queueOf('ab', 'cd', 'ef');
  assert.equal(q.take(5).toString(), 'abcde');
  assert.equal(q.length, 1);
  assert.equal(q.take(100).toString(), 'f', 'one chunk left: returned as it is');
  assert.equal(queueOf('ab', 'cd').take(100).toString(), 'abcd');
  assert.equal(queueOf('ab').take(0).length, 0);
});

test('takeInto copies into the caller buffer and consumes what it copied', () => {
  const q = queueOf('abc', 'def');
  const target = Buffer.alloc(4);
  assert.equal(q.takeInto(target, 4), 4);
  assert.equal(target.toString(), 'abcd');
  assert.equal(q.takeInto(target, 4), 2);
  assert.equal(target.subarray(0, 2).toString(), 'ef');
  assert.equal(q.length, 0);
  assert.equal(q.takeInto(target, 4), 0);
});

test('indexOf searches across chunks from an offset', () => {
  const q = queueOf('ab\n', 'cd', 'e\nf');
  assert.equal(q.indexOf(0x0a), 2);
  assert.equal(q.indexOf(0x0a, 3), 6);
  assert.equal(q.indexOf(0x0a, 7), -1);
  assert.equal(q.indexOf(0x7a), -1);
  assert.equal(new ByteQueue().indexOf(0x0a), -1);
});

test('peekAll copies everything and leaves it queued; drain returns the chunks in order', () => {
  const q = queueOf('ab', 'cd');
  const all = q.peekAll();
  assert.equal(all.toString(), 'abcd');
  all[0] = 0x7a;
  assert.equal(q.length, 4);
  assert.equal(q.take(1).toString(), 'a', 'peekAll returned a copy');
  assert.deepEqual(
    q.drain().map((c) => c.toString()),
    ['b', 'cd'],
  );
  assert.equal(q.length, 0);
  assert.deepEqual(q.drain(), []);
});

test('clear drops everything; empty chunks are not queued', () => {
  const q = queueOf('ab', 'cd');
  q.clear();
  assert.equal(q.length, 0);
  q.push(Buffer.alloc(0));
  assert.equal(q.length, 0);
  assert.deepEqual(q.drain(), []);
  q.push(Buffer.from('x'));
  assert.equal(q.take(1).toString(), 'x');
});

test('the ring grows past its first size and keeps order while it wraps', () => {
  const q = new ByteQueue();
  let expected = '';
  let next = 0;
  // Keep a few chunks queued while pushing and taking, so the ring wraps and then grows.
  for (let round = 0; round < 50; round++) {
    for (let i = 0; i < round % 7; i++) {
      const chunk = String.fromCharCode(97 + (next++ % 26));
      q.push(Buffer.from(chunk));
      expected += chunk;
    }
    const take = Math.min(expected.length, round % 3);
    assert.equal(q.take(take).toString(), expected.slice(0, take));
    expected = expected.slice(take);
    assert.equal(q.length, expected.length);
  }
  for (let i = 0; i < 40; i++) {
    q.push(Buffer.from('z'));
    expected += 'z';
  }
  assert.equal(q.peekAll().toString(), expected);
  assert.equal(q.drain().join(''), expected);
});
