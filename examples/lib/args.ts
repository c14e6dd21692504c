// The examples' command line: `node --import tsx examples/x.ts 6000`, and the
// `-- 6000` form (what `npx pnpm@10 <script> -- 6000` passes on) alike.

/** The words after the script's name, without a leading `--`. */
export function exampleArgs(): string[] {
  const words = process.argv.slice(2);
  return words[0] === '--' ? words.slice(1) : words;
}

/** `word` as a TCP port (0-65535; 0 picks a free one), or a usage message and exit 2. */
export function portArg(word: string, usage: string): number {
  const port = Number(word);
  if (!/^\d+$/.test(word) || port > 65535) usageError(`${word}: expected a port (0-65535)`, usage);
  return port;
}

/** `host:port` as an address tuple, or a usage message and exit 2. */
export function hostPortArg(word: string | undefined, usage: string): [string, number] {
  const at = word?.lastIndexOf(':') ?? -1;
  if (word === undefined || at <= 0)
    usageError(`expected host:port, got ${word ?? 'nothing'}`, usage);
  return [word.slice(0, at), portArg(word.slice(at + 1), usage)];
}

function usageError(problem: string, usage: string): never {
  console.error(`${problem}\nusage: ${usage}`);
  process.exit(2);
}
