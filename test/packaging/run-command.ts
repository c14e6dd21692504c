import { execFile } from 'node:child_process';

/** What a finished command printed. */
export interface Ran {
  stdout: string;
  stderr: string;
}

/**
 * Runs a command to its end and resolves with its output; rejects, with the
 * output in the message, if it exits non-zero or is still running after
 * `timeout` ms (then it is killed).
 */
export function runCommand(
  file: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeout?: number },
): Promise<Ran> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      {
        cwd: options.cwd,
        env: options.env ?? process.env,
        timeout: options.timeout ?? 60_000,
        maxBuffer: 16 * 1024 * 1024,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (error === null) return resolve({ stdout, stderr });
        reject(
          new Error(
            `${file} ${args.join(' ')} (in ${options.cwd}) failed: ${error.message}\nstdout: ${stdout}\nstderr: ${stderr}`,
          ),
        );
      },
    );
  });
}

/** The last line a command printed, parsed as JSON. */
export function lastJson(ran: Ran): unknown {
  return JSON.parse(ran.stdout.trim().split('\n').at(-1) ?? '');
}
