import { sleep as hubSleep, type Operation } from '@verdant/hub';

/**
 * Blocks the current green thread for `ms` MILLISECONDS (not seconds);
 * `sleep(0)` lets every other runnable thread run once.
 *
 * @example
 * yield* time.sleep(250); // a quarter of a second
 * yield* time.sleep(); // let every other runnable green thread run once
 */
export function sleep(ms = 0): Operation<void> {
  return hubSleep(ms);
}
