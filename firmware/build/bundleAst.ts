/**
 * What the build passes that rewrite a bundle (inlineConstants, releaseBootCode) share: parsing
 * the esbuild IIFE, walking it, and the few questions about names they both ask.
 */
import { Parser } from 'acorn';
import { full } from 'acorn-walk';

/** An ESTree node as acorn produces it. */
export interface AstNode { type: string; start: number; end: number; [k: string]: unknown }

/** Parses bundle source (a script). */
export const parseBundle = (code: string): AstNode =>
  Parser.parse(code, { ecmaVersion: 'latest', sourceType: 'script' }) as unknown as AstNode;

/** Calls `cb` on every node of the tree. */
export const walkAll = (ast: AstNode, cb: (n: AstNode) => void): void => full(ast as never, cb as never);

/** A function declaration, function expression or arrow. */
export const isFunction = (n: AstNode): boolean =>
  n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression';

/** Calls `add` with every name a binding pattern binds (`a`, `[a, b]`, `{a, b: c}`, `a = 1`, `...a`). */
export function bindPattern(p: AstNode | null | undefined, add: (name: string) => void): void {
  if (!p) return;
  if (p.type === 'Identifier') add(p.name as string);
  else if (p.type === 'AssignmentPattern') bindPattern(p.left as AstNode, add);
  else if (p.type === 'RestElement') bindPattern(p.argument as AstNode, add);
  else if (p.type === 'ArrayPattern') for (const e of p.elements as AstNode[]) bindPattern(e, add);
  else if (p.type === 'ObjectPattern') for (const e of p.properties as AstNode[]) bindPattern(e.type === 'Property' ? (e.value as AstNode) : e, add);
}

/** Names written by `=`, `+=`, `++`… anywhere in the tree. */
export function assignedNames(ast: AstNode): Set<string> {
  const out = new Set<string>();
  walkAll(ast, (n) => {
    const target = n.type === 'AssignmentExpression' ? (n.left as AstNode) : n.type === 'UpdateExpression' ? (n.argument as AstNode) : undefined;
    if (target && target.type === 'Identifier') out.add(target.name as string);
  });
  return out;
}

/**
 * Identifier nodes that name a property, not a variable: `o.name`, and the keys of `{name: v}`,
 * methods and class fields (a shorthand `{name}` is left out: it reads the variable).
 */
export function propertyNameNodes(ast: AstNode): Set<AstNode> {
  const out = new Set<AstNode>();
  walkAll(ast, (n) => {
    if (n.type === 'MemberExpression' && !n.computed) out.add(n.property as AstNode);
    if ((n.type === 'Property' || n.type === 'MethodDefinition' || n.type === 'PropertyDefinition') && !n.computed && !n.shorthand) out.add(n.key as AstNode);
  });
  return out;
}

/** The function of an esbuild IIFE bundle (`(() => {…})()`), with a block body; else undefined. */
export function bundleIife(ast: AstNode): AstNode | undefined {
  const first = (ast.body as AstNode[])[0];
  const call = first && first.type === 'ExpressionStatement' ? (first.expression as AstNode) : undefined;
  const fn = call && call.type === 'CallExpression' ? (call.callee as AstNode) : undefined;
  return fn && (fn.type === 'ArrowFunctionExpression' || fn.type === 'FunctionExpression') && (fn.body as AstNode).type === 'BlockStatement' ? fn : undefined;
}
