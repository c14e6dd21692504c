import type { ParserServicesWithTypeInformation, TSESTree } from '@typescript-eslint/utils';
import type * as ts from 'typescript';

/**
 * Whether a node's static type is a Verdant operation: `@verdant/hub`'s
 * `Operation<T>` is `Generator<unknown, T, unknown>`, and hand-written
 * operations (green's `ReceiveOperation`) implement that interface, so the
 * test is the interface's shape, whatever the type is called: `next`,
 * `throw`, `return` and `[Symbol.iterator]`. A union counts when any member
 * is one (`Operation<T> | undefined` discarded still discards an operation).
 * A promise that is also iterable (`once()`) is not an operation: it runs
 * without anyone stepping it.
 */
export function isOperationNode(
  services: ParserServicesWithTypeInformation,
  node: TSESTree.Node,
): boolean {
  const checker = services.program.getTypeChecker();
  return isOperationType(checker, services.getTypeAtLocation(node));
}

function isOperationType(checker: ts.TypeChecker, type: ts.Type): boolean {
  if (type.isUnion()) return type.types.some((t) => isOperationType(checker, t));
  if (type.isIntersection()) return type.types.some((t) => isOperationType(checker, t));
  for (const name of ['next', 'throw', 'return']) {
    if (checker.getPropertyOfType(type, name) === undefined) return false;
  }
  if (checker.getPropertyOfType(type, 'then') !== undefined) return false;
  return type.getProperties().some((p) => (p.escapedName as string).startsWith('__@iterator@'));
}
