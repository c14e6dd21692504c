import { type DestinationStream, type Logger, pino } from 'pino';

/**
 * The hub's structured log: pino on stderr, so a program's stdout stays its
 * own. Level from VERDANT_LOG_LEVEL (default `info`). Read by a person (stderr
 * a terminal) it is pino-pretty's one line per entry; read by a program (a
 * pipe, a file) it is pino's JSON. VERDANT_LOG_FORMAT=json|pretty overrides.
 */
export function createLogger(): Logger {
  const options = { name: 'verdant', level: process.env.VERDANT_LOG_LEVEL ?? 'info' };
  return pino(options, prettyWanted() ? prettyStream() : pino.destination({ fd: 2, sync: true }));
}

function prettyWanted(): boolean {
  const format = process.env.VERDANT_LOG_FORMAT;
  if (format === 'json') return false;
  if (format === 'pretty') return true;
  return process.stderr.isTTY === true;
}

/**
 * pino-pretty in pino's transport worker: loaded only for a terminal (it
 * costs hundreds of ms to load), flushed by pino when the process exits.
 */
function prettyStream(): DestinationStream {
  return pino.transport({
    target: 'pino-pretty',
    options: {
      destination: 2,
      colorize: process.stderr.isTTY === true,
      ignore: 'pid,hostname',
      translateTime: 'SYS:HH:MM:ss.l',
    },
  }) as DestinationStream;
}
