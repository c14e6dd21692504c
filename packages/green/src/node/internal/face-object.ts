/**
 * The object CommonJS code gets for `require(builtin)` under the patch: the
 * builtin's own properties with their descriptors, then the face's
 * replacements. Descriptors, not a spread: a spread reads every getter, and
 * Node's lazy ones load internals on read (`fs.Utf8Stream` needs a
 * SharedArrayBuffer, which `--enable-sharedarraybuffer-per-context` removes)
 * or warn on read (Node 24's deprecated `fs.F_OK`).
 */
export function faceObject<T extends object, R extends object>(
  real: T,
  replacements: R,
): Omit<T, keyof R> & R {
  const descriptors = Object.getOwnPropertyDescriptors(real);
  for (const [key, desc] of Object.entries(descriptors)) {
    // Node's lazy setters (fs.ReadStream...) store into Node's own module: an assignment
    // to the face gives the face its own value instead, as the old copy did.
    if (desc.set !== undefined && desc.configurable === true) desc.set = ownValueSetter(key);
  }
  const face = Object.defineProperties({}, descriptors);
  for (const [key, value] of Object.entries(replacements)) {
    Object.defineProperty(face, key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }
  return face as Omit<T, keyof R> & R;
}

function ownValueSetter(key: string): (this: object, value: unknown) => void {
  return function (value) {
    Object.defineProperty(this, key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  };
}
