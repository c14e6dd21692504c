import { checkInteger } from '../internal/check.js';

/** Python's `maxsize`: an integer, `<= 0` for unbounded (the hub's null). */
export function pythonMaxsize(what: string, maxsize: unknown): number | null {
  const n = checkInteger(
    what,
    maxsize,
    Number.NEGATIVE_INFINITY,
    Number.POSITIVE_INFINITY,
    'an integer (<= 0 for unbounded)',
  );
  return n > 0 ? n : null;
}
