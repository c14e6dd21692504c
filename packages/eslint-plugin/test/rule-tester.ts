/**
 * typescript-eslint's RuleTester on Node's test runner, type-aware: each
 * case is type-checked as fixtures/file.ts, where `@verdant/hub` and
 * `@verdant/green` resolve to the workspace's builds.
 */
import { after, describe, it } from 'node:test';
import { RuleTester } from '@typescript-eslint/rule-tester';

RuleTester.afterAll = after;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

export function typedRuleTester(): RuleTester {
  return new RuleTester({
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: `${import.meta.dirname}/fixtures`,
      },
    },
  });
}
