import { spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * Runs one fixture in its own Node process (each patch scenario isolated) and
 * parses its last JSON line. `killAfterMs` is a hang guard, not a timing
 * check: a fixture still running then is killed and the call rejects.
 */
export function runFixture(
  name: string,
  options: { killAfterMs?: number } = {},
): Promise<{ code: number | null; out: Record<string, unknown>; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(import.meta.dirname, 'fixtures', name)], {
      cwd: join(import.meta.dirname, '..'),
      env: { ...process.env, VERDANT_LOG_LEVEL: 'warn' },
    });
    let hung = false;
    const guard =
      options.killAfterMs === undefined
        ? undefined
        : setTimeout(() => {
            hung = true;
            child.kill('SIGKILL');
          }, options.killAfterMs);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (guard !== undefined) clearTimeout(guard);
      if (hung) {
        reject(new Error(`fixture ${name} hung: killed\nstdout: ${stdout}\nstderr: ${stderr}`));
        return;
      }
      const last = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve({ code, out: JSON.parse(last), stderr });
      } catch {
        reject(
          new Error(
            `fixture ${name} exited ${code} without JSON\nstdout: ${stdout}\nstderr: ${stderr}`,
          ),
        );
      }
    });
  });
}
