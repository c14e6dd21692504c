/**
 * `instanceof` that holds across two copies of this package (its ESM and
 * CJS builds loaded side by side): classes carry a shared symbol instead.
 */
export function brandCheck(cls: object, base: object, brand: symbol, value: unknown): boolean {
  if (cls !== base) return Function.prototype[Symbol.hasInstance].call(cls, value);
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[brand] === true
  );
}
