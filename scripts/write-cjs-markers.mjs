// tsc writes CommonJS into dist/cjs, but each package says "type": "module";
// a nested package.json tells Node how to read that folder.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

for (const name of ['hub', 'green', 'patcher', 'eslint-plugin']) {
  const dir = join('packages', name, 'dist', 'cjs');
  if (existsSync(dir)) writeFileSync(join(dir, 'package.json'), '{ "type": "commonjs" }\n');
}
