import type { EventEmitter } from 'node:events';
import { type Operation, suspend } from '@verdant/hub';
import { translateError } from './errors.js';

/**
 * Parks the calling green thread until `emitter` emits `'listening'` (or
 * fails with its translated `'error'`). `start` runs after the listeners are
 * attached, so a synchronous error cannot be missed. Shared by TCP `listen`
 * and UDP `bind`, which both report readiness this way.
 */
export function awaitListening(
  emitter: EventEmitter,
  start: () => void,
  label: string,
): Operation<void> {
  return suspend<void>((resume, fail) => {
    const onListening = (): void => {
      resume(undefined);
    };
    const onError = (error: Error): void => {
      fail(translateError(error));
    };
    emitter.once('listening', onListening);
    emitter.once('error', onError);
    start();
    return () => {
      emitter.off('listening', onListening);
      emitter.off('error', onError);
    };
  }, label);
}
