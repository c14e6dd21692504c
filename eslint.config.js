// `pnpm lint:verdant`: Verdant's own lint rules (an operation thrown away,
// `yield op` for `yield* op`) on the examples and the tests, with the type
// information from tsconfig.test.json. Style and the rest are Biome's.
import verdant from '@verdant/eslint-plugin';
import tseslint from 'typescript-eslint';

export default [
  // The plugin's own fixtures are code for its RuleTester, mistakes included.
  { ignores: ['packages/eslint-plugin/test/fixtures/**'] },
  {
    files: ['examples/**/*.ts', 'packages/*/test/**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { project: './tsconfig.test.json', tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  { ...verdant.configs.recommended, files: ['examples/**/*.ts', 'packages/*/test/**/*.ts'] },
];
