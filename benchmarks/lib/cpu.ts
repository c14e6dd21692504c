/**
 * CPU time for "CPU per operation": this process's own, and where a process
 * may run. (A server in another process is read by echo-client.c, from
 * /proc/<pid>/task/<tid>/schedstat, over exactly its measured window.)
 */
import { readFileSync } from 'node:fs';

/**
 * CPU µs (user + system, every thread) this process has used so far.
 *
 * @example
 * const t0 = selfCpuUs(); work(); const perOp = (selfCpuUs() - t0) / ops;
 */
export function selfCpuUs(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/** The CPUs a process may run on, as Linux lists them (`1`, `0-1`). */
export function allowedCpus(pid: number): string {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return /^Cpus_allowed_list:\s*(.+)$/m.exec(status)?.[1]?.trim() ?? 'unknown';
}
