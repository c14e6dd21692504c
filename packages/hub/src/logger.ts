import { type Logger, pino } from 'pino';

/**
 * The hub's structured log: pino on stderr, so a program's stdout stays its
 * own. Level from VERDANT_LOG_LEVEL (default `info`).
 */
export function createLogger(): Logger {
  return pino(
    { name: 'verdant', level: process.env.VERDANT_LOG_LEVEL ?? 'info' },
    pino.destination({ fd: 2, sync: true }),
  );
}
