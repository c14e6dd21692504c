/**
 * Green `os`: Python's `os` file-descriptor calls as operations.
 *
 * `read`/`write` on regular files go through Node's async `fs` (the libuv
 * thread pool), never the Sync calls. Pipes and sockets cannot be read that
 * way (their fds are non-blocking), so the first `read`/`write` on such an
 * fd wraps it in a Node stream that libuv polls; from then on that stream
 * owns the fd: it closes itself once the read end reaches EOF, and `close`
 * here is still safe to call. Close fds you use here with `os.close`.
 * POSIX only (pipes are FIFOs; `waitpid` needs children started by Verdant).
 *
 * @module
 */
export { close, open, pipe, read, write } from './os/fd.js';
export {
  getpid,
  kill,
  WEXITSTATUS,
  WIFEXITED,
  WIFSIGNALED,
  WNOHANG,
  WTERMSIG,
  waitpid,
  waitstatusToExitcode,
} from './os/process.js';
