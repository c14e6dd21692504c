/**
 * What a Worker's thread runs before its script under `monkeyPatch` (a
 * `--require` the worker_threads face adds to the worker's execArgv): the
 * parent's `monkeyPatch` selection, applied in this thread, so the worker is
 * greened inside as its parent is. The script then sees the
 * `process.execArgv` and environment data it would have had without it.
 */

import { getEnvironmentData, isMainThread, setEnvironmentData } from 'node:worker_threads';
import { WORKER_SETUP_KEY, type WorkerSetup } from '@verdant/green/node/worker-threads';
import type { Flag } from './flags.js';
import { monkeyPatch } from './monkey-patch.js';

const setup = isMainThread
  ? undefined
  : (getEnvironmentData(WORKER_SETUP_KEY) as unknown as WorkerSetup | undefined);
if (setup !== undefined) {
  setEnvironmentData(WORKER_SETUP_KEY, undefined as never);
  process.execArgv.splice(0, process.execArgv.length, ...setup.execArgv);
  monkeyPatch(setup.flags as Flag[]);
}
