/**
 * Runs one scenario file in its own Node process against the servers'
 * environment and returns the JSON its last stdout line holds. The child
 * must exit by itself: a watchdog kills it after a generous bound and the
 * test fails, naming what it printed.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** Far above any scenario's run; only a process that would never exit reaches it. */
const WATCHDOG_MS = 60_000;

export interface ScenarioResult {
  out: Record<string, unknown>;
  stderr: string;
}

export function runScenario(name: string, env: Record<string, string>): Promise<ScenarioResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'scenarios', name)],
      {
        cwd: join(import.meta.dirname, '..', '..'),
        env: { ...process.env, ...env, VERDANT_LOG_LEVEL: 'warn' },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const watchdog = setTimeout(() => child.kill('SIGKILL'), WATCHDOG_MS);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(watchdog);
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0) {
        reject(
          new Error(
            `scenario ${name} ${signal === 'SIGKILL' ? 'never exited by itself' : `exited ${code ?? signal}`}\nstdout: ${stdout}\nstderr: ${stderr}`,
          ),
        );
        return;
      }
      try {
        resolve({ out: JSON.parse(last) as Record<string, unknown>, stderr });
      } catch {
        reject(new Error(`scenario ${name} printed no JSON\nstdout: ${stdout}\nstderr: ${stderr}`));
      }
    });
  });
}
