/**
 * Green `subprocess`: Python's `subprocess` on `node:child_process`. The
 * child runs as a real process; waiting for it, feeding it and draining it
 * block only the calling green thread. Timeouts are `timeoutMs`.
 *
 * @module
 */
export { CalledProcessError, SubprocessError, TimeoutExpired } from './subprocess/errors.js';
export { type FileData, GreenFile } from './subprocess/green-file.js';
export {
  DEVNULL,
  INHERIT,
  type OutputOf,
  PIPE,
  Popen,
  type PopenOptions,
  STDOUT,
  type StdioSpec,
} from './subprocess/popen.js';
export {
  CompletedProcess,
  call,
  checkCall,
  checkOutput,
  type RunOptions,
  run,
} from './subprocess/run.js';
