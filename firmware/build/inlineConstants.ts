/**
 * Folds the bundle's top-level numeric constants into their uses. esbuild keeps a constant
 * exported by one module and read by another as a top-level `var` (`var Ye=1,Ze=2;`); on
 * Espruino each one is a variable in the bundle's scope for the clip's whole life (13 bytes of
 * RAM), and each read is a scope lookup. A name is folded only when it is safe without scope
 * analysis: it is declared exactly once in the whole bundle, at the top level of the IIFE, with
 * a number (or `-number`, `!0`, `!1`) initialiser, and is never assigned, updated or shadowed.
 */
import { assignedNames, bindPattern, bundleIife, isFunction, parseBundle, propertyNameNodes, walkAll } from './bundleAst.ts';
import type { AstNode as Node } from './bundleAst.ts';

const LITERAL_MAX = 12;

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
  const add = (name: string): void => {
    counts.set(name, (counts.get(name) || 0) + 1);
  };
  walkAll(ast, (n: Node) => {
    if (n.type === 'VariableDeclarator') bindPattern(n.id as Node, add);
    else if (isFunction(n)) {
      bindPattern(n.id as Node | null, add);
      for (const p of n.params as Node[]) bindPattern(p, add);
    } else if (n.type === 'ClassDeclaration' || n.type === 'ClassExpression') bindPattern(n.id as Node | null, add);
    else if (n.type === 'CatchClause') bindPattern(n.param as Node | null, add);
  });
  return counts;
}

/** Result of {@link inlineConstants}. */
export interface InlineResult {
  code: string;
  /** Names folded away. */
  inlined: string[];
}

/** Folds safe top-level numeric constants of an esbuild IIFE bundle into their uses. */
export function inlineConstants(code: string): InlineResult {
  const ast = parseBundle(code);
  const main = bundleIife(ast);
  if (!main) return { code, inlined: [] };
  const body = (main.body as Node).body as Node[];
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
  // References: every Identifier that is not a property name or the declaration itself.
  const skip = propertyNameNodes(ast);
  walkAll(ast, (n: Node) => {
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
