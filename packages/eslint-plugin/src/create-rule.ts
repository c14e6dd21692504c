import { ESLintUtils } from '@typescript-eslint/utils';

/** Rules link to their section of the plugin's README. */
export const createRule = ESLintUtils.RuleCreator(
  (name) =>
    `https://github.com/verdant-js/verdant/tree/main/packages/eslint-plugin#verdant${name.replaceAll('-', '')}`,
);
