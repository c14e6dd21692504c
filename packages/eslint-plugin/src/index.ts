import type { TSESLint } from '@typescript-eslint/utils';
import { noDiscardedOperation } from './rules/no-discarded-operation.js';
import { noYieldOperation } from './rules/no-yield-operation.js';

const rules = {
  'no-discarded-operation': noDiscardedOperation,
  'no-yield-operation': noYieldOperation,
};

interface VerdantPlugin {
  meta: { name: string; version: string };
  rules: typeof rules;
  configs: { recommended: TSESLint.FlatConfig.Config };
}

/**
 * The plugin, for ESLint's flat config. Both rules need type information
 * (typescript-eslint's `parserOptions.projectService`).
 *
 * @example
 * // eslint.config.js
 * import verdant from '@verdant/eslint-plugin';
 * import tseslint from 'typescript-eslint';
 * export default [
 *   { files: ['**\/*.ts'], languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true } } },
 *   verdant.configs.recommended,
 * ];
 */
const plugin: VerdantPlugin = {
  meta: { name: '@verdant/eslint-plugin', version: '0.1.0' },
  rules,
  configs: { recommended: {} },
};
plugin.configs.recommended = {
  name: '@verdant/recommended',
  plugins: { '@verdant': plugin as unknown as TSESLint.FlatConfig.Plugin },
  rules: {
    '@verdant/no-discarded-operation': 'error',
    '@verdant/no-yield-operation': 'error',
  },
};

export default plugin;
export { rules };
