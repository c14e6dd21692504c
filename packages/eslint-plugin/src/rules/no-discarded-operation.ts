import { ESLintUtils, type TSESTree } from '@typescript-eslint/utils';
import { createRule } from '../create-rule.js';
import { isOperationNode } from '../operation-type.js';

/**
 * An operation does nothing until a green thread runs it with `yield*`:
 * `q.put(x);` or `sleep(10);` as a statement, or `return socketpair()` from
 * a thread's generator, silently skip the work. `void op` says the discard
 * is meant.
 */
export const noDiscardedOperation = createRule({
  name: 'no-discarded-operation',
  meta: {
    type: 'problem',
    docs: {
      description: 'Require a Verdant operation to be run with `yield*`, not thrown away',
    },
    messages: {
      discarded:
        'This operation never runs: its result is thrown away. Run it with `yield* ...` inside a green thread (or write `void ...` if dropping it is meant).',
      returned:
        'This generator returns an operation without running it. Write `return yield* ...` to run it and return its result.',
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const services = ESLintUtils.getParserServices(context);
    return {
      ExpressionStatement(node: TSESTree.ExpressionStatement): void {
        const expr = node.expression;
        if (expr.type === 'UnaryExpression' && expr.operator === 'void') return;
        if (expr.type === 'AssignmentExpression' || expr.type === 'YieldExpression') return;
        if (isOperationNode(services, expr)) context.report({ node, messageId: 'discarded' });
      },
      ReturnStatement(node: TSESTree.ReturnStatement): void {
        if (node.argument === null || !insideGenerator(node)) return;
        if (isOperationNode(services, node.argument)) {
          context.report({ node: node.argument, messageId: 'returned' });
        }
      },
    };
  },
});

function insideGenerator(node: TSESTree.Node): boolean {
  for (let n = node.parent; n !== undefined; n = n.parent) {
    if (
      n.type === 'FunctionDeclaration' ||
      n.type === 'FunctionExpression' ||
      n.type === 'ArrowFunctionExpression'
    ) {
      return n.generator;
    }
  }
  return false;
}
