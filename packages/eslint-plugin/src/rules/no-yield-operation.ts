import { ESLintUtils, type TSESTree } from '@typescript-eslint/utils';
import { createRule } from '../create-rule.js';
import { isOperationNode } from '../operation-type.js';

/**
 * `yield op` hands the operation object to the hub instead of running it;
 * the hub refuses it at run time with a TypeError. `yield* op` was meant,
 * and the fix is that one star.
 */
export const noYieldOperation = createRule({
  name: 'no-yield-operation',
  meta: {
    type: 'problem',
    docs: {
      description: 'Require `yield*` (with the star) to run a Verdant operation',
    },
    fixable: 'code',
    messages: {
      noStar:
        'This yields the operation instead of running it: write `yield* ...` (with the star).',
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const services = ESLintUtils.getParserServices(context);
    return {
      YieldExpression(node: TSESTree.YieldExpression): void {
        if (node.delegate || node.argument === null) return;
        if (!isOperationNode(services, node.argument)) return;
        const keyword = context.sourceCode.getFirstToken(node)!;
        context.report({
          node,
          messageId: 'noStar',
          fix: (fixer) => fixer.insertTextAfter(keyword, '*'),
        });
      },
    };
  },
});
