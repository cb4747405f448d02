/**
 * Folds the bundle's top-level numeric constants into their uses. esbuild keeps a constant
 * exported by one module and read by another as a top-level `var` (`var Ye=1,Ze=2;`); on
 * Espruino each one is a variable in the bundle's scope for the clip's whole life (13 bytes of
 * RAM), and each read is a scope lookup. A name is folded only when it is safe without scope
 * analysis: it is declared exactly once in the whole bundle, at the top level of the IIFE, with
 * a number (or `-number`, `!0`, `!1`) initialiser, and is never assigned, updated or shadowed.
 */
import { Parser } from 'acorn';
import { full } from 'acorn-walk';

interface Node { type: string; start: number; end: number; [k: string]: unknown }

const LITERAL_MAX = 12;

/** Calls `cb` on every node of the tree. */
const walkAll = (ast: Node, cb: (n: Node) => void): void => full(ast as never, cb as never);

/** Source of a constant initialiser worth folding, or undefined. */
function constantText(code: string, init: Node | null): string | undefined {
  if (!init) return undefined;
  const text = code.slice(init.start, init.end);
  if (text.length > LITERAL_MAX) return undefined;
  if (init.type === 'Literal' && typeof init.value === 'number') return text;
  if (init.type === 'UnaryExpression' && (init.operator === '-' || init.operator === '!')) {
    const arg = init.argument as Node;
    if (arg.type === 'Literal' && typeof arg.value === 'number') return '(' + text + ')';
  }
  return undefined;
}

/** Names bound anywhere (declarations, parameters, catch clauses) with how often. */
function bindingCounts(ast: Node): Map<string, number> {
  const counts = new Map<string, number>();
  const bind = (p: Node | null | undefined): void => {
    if (!p) return;
    if (p.type === 'Identifier') counts.set(p.name as string, (counts.get(p.name as string) || 0) + 1);
    else if (p.type === 'AssignmentPattern') bind(p.left as Node);
    else if (p.type === 'RestElement') bind(p.argument as Node);
    else if (p.type === 'ArrayPattern') for (const e of p.elements as Node[]) bind(e);
    else if (p.type === 'ObjectPattern') for (const e of p.properties as Node[]) bind(e.type === 'Property' ? (e.value as Node) : e);
  };
  walkAll(ast, (n: Node) => {
    if (n.type === 'VariableDeclarator') bind(n.id as Node);
    else if (n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression') {
      if (n.id) bind(n.id as Node);
      for (const p of n.params as Node[]) bind(p);
    } else if (n.type === 'ClassDeclaration' || n.type === 'ClassExpression') bind(n.id as Node);
    else if (n.type === 'CatchClause') bind(n.param as Node);
  });
  return counts;
}

/** Names written by `=`, `+=`, `++`… */
function assignedNames(ast: Node): Set<string> {
  const out = new Set<string>();
  walkAll(ast, (n: Node) => {
    const target = n.type === 'AssignmentExpression' ? (n.left as Node) : n.type === 'UpdateExpression' ? (n.argument as Node) : undefined;
    if (target && target.type === 'Identifier') out.add(target.name as string);
  });
  return out;
}

/** The statements of the bundle's IIFE body (`(()=>{…})()`), or undefined. */
function iifeBody(ast: Node): Node[] | undefined {
  const first = (ast.body as Node[])[0];
  if (!first || first.type !== 'ExpressionStatement') return undefined;
  const call = first.expression as Node;
  if (call.type !== 'CallExpression') return undefined;
  const fn = call.callee as Node;
  if ((fn.type !== 'ArrowFunctionExpression' && fn.type !== 'FunctionExpression') || (fn.body as Node).type !== 'BlockStatement') return undefined;
  return (fn.body as Node).body as Node[];
}

/** Result of {@link inlineConstants}. */
export interface InlineResult {
  code: string;
  /** Names folded away. */
  inlined: string[];
}

/** Folds safe top-level numeric constants of an esbuild IIFE bundle into their uses. */
export function inlineConstants(code: string): InlineResult {
  const ast = Parser.parse(code, { ecmaVersion: 'latest', sourceType: 'script' }) as unknown as Node;
  const body = iifeBody(ast);
  if (!body) return { code, inlined: [] };
  const bound = bindingCounts(ast);
  const assigned = assignedNames(ast);
  const values = new Map<string, string>();
  const edits: { start: number; end: number; text: string }[] = [];
  for (const st of body) {
    if (st.type !== 'VariableDeclaration') continue;
    const decls = st.declarations as Node[];
    const keep: Node[] = [];
    for (const d of decls) {
      const id = d.id as Node;
      const name = id.type === 'Identifier' ? (id.name as string) : '';
      const text = name ? constantText(code, d.init as Node | null) : undefined;
      if (text !== undefined && bound.get(name) === 1 && !assigned.has(name)) values.set(name, text);
      else keep.push(d);
    }
    if (keep.length === decls.length) continue;
    if (!keep.length) {
      edits.push({ start: st.start, end: st.end, text: '' });
      continue;
    }
    // Cut each folded declarator with one adjacent comma.
    const last = decls.indexOf(keep[keep.length - 1]);
    decls.forEach((d, i) => {
      if (i < last && !keep.includes(d)) edits.push({ start: d.start, end: decls[i + 1].start, text: '' });
    });
    if (last < decls.length - 1) edits.push({ start: decls[last].end, end: decls[decls.length - 1].end, text: '' });
  }
  if (!values.size) return { code, inlined: [] };
  walkAll(ast, (n: Node) => {
    if (n.type === 'Property' && n.shorthand && (n.value as Node).type === 'Identifier') {
      const v = values.get((n.value as Node).name as string);
      if (v !== undefined) edits.push({ start: n.start, end: n.end, text: ((n.key as Node).name as string) + ':' + v });
    }
  });
  const shorthand = new Set(edits.map((e) => e.start));
  // References: every Identifier that is not a property key, member name or the declaration itself.
  const skip = new Set<Node>();
  walkAll(ast, (n: Node) => {
    if (n.type === 'MemberExpression' && !n.computed) skip.add(n.property as Node);
    if ((n.type === 'Property' || n.type === 'MethodDefinition' || n.type === 'PropertyDefinition') && !n.computed) skip.add(n.key as Node);
    if (n.type === 'VariableDeclarator') skip.add(n.id as Node);
  });
  walkAll(ast, (n: Node) => {
    if (n.type !== 'Identifier' || skip.has(n) || shorthand.has(n.start)) return;
    const v = values.get(n.name as string);
    if (v !== undefined) edits.push({ start: n.start, end: n.end, text: v });
  });
  let out = code;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return { code: out, inlined: [...values.keys()] };
}
