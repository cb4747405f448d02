/**
 * Frees the functions only boot needs. On Espruino every top-level function of the bundle's
 * IIFE stays alive as long as any closure holds that scope (timers and event handlers do, for
 * the clip's whole life): the function, its parameters and its code reference cost RAM even if
 * it ran once at boot (createClip, openLog, the other boards' drivers…). This pass finds the
 * top-level function declarations that no code running after boot can reach and appends
 * `a=b=…=void 0;` to the IIFE body, so the interpreter can free them once boot is done.
 *
 * Conservative by construction: every function or arrow *expression* may be stored and called
 * later (a callback), so what it references is resident; so is any top-level function used as
 * a value rather than called, and everything a resident function references. A name counts as a
 * reference to the top-level function unless a parameter or `var`/function declaration of an
 * enclosing function shadows it (block-scoped shadowing is ignored: that only keeps more).
 */
import { ancestor } from 'acorn-walk';
import { assignedNames, bindPattern, bundleIife, isFunction, parseBundle, propertyNameNodes, walkAll } from './bundleAst.ts';
import type { AstNode as Node } from './bundleAst.ts';

/** Names a function binds for its whole body: parameters, `var`s and function declarations. */
function functionBindings(fn: Node): Set<string> {
  const out = new Set<string>();
  const add = (name: string): void => {
    out.add(name);
  };
  for (const p of fn.params as Node[]) bindPattern(p, add);
  const visit = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) {
      n.forEach(visit);
      return;
    }
    const node = n as Node;
    if (node.type === 'FunctionDeclaration') {
      bindPattern(node.id as Node, add);
      return;
    }
    if (isFunction(node)) return;
    if (node.type === 'VariableDeclaration' && node.kind === 'var') for (const d of node.declarations as Node[]) bindPattern(d.id as Node, add);
    for (const k of Object.keys(node)) if (k !== 'type' && k !== 'start' && k !== 'end') visit(node[k]);
  };
  visit(fn.body);
  return out;
}

/** Result of {@link releaseBootCode}. */
export interface ReleaseResult {
  code: string;
  /** Top-level functions and `var`s released after boot. */
  released: string[];
}

/** Appends the release of boot-only top-level functions to an esbuild IIFE bundle. */
export function releaseBootCode(code: string): ReleaseResult {
  const ast = parseBundle(code);
  const main = bundleIife(ast);
  if (!main) return { code, released: [] };
  const body = (main.body as Node).body as Node[];
  // Top-level functions: declarations, and `var f = (…) => …` / `function` expressions that
  // nothing assigns again.
  const top = new Map<string, Node>();
  // Top-level `var` data (tables, objects made at boot): freed too when only boot reads them.
  const data = new Map<string, Node>();
  for (const st of body) {
    if (st.type === 'FunctionDeclaration') top.set((st.id as Node).name as string, st);
    if (st.type === 'VariableDeclaration' && st.kind === 'var') {
      for (const d of st.declarations as Node[]) {
        const init = d.init as Node | null;
        if ((d.id as Node).type !== 'Identifier' || !init) continue;
        (isFunction(init) ? top : data).set((d.id as Node).name as string, init);
      }
    }
  }
  for (const name of assignedNames(ast)) {
    top.delete(name);
    data.delete(name);
  }
  const topNodes = new Set(top.values());
  const bindings = new Map<Node, Set<string>>();
  const bound = (fn: Node): Set<string> => {
    let b = bindings.get(fn);
    if (!b) bindings.set(fn, (b = functionBindings(fn)));
    return b;
  };

  // Each reference to a top-level function: the innermost enclosing function (the IIFE for boot
  // statements) and whether it is a plain call.
  const refs = new Map<Node, Set<string>>();
  const asValue = new Set<string>();
  const skip = propertyNameNodes(ast);
  ancestor(ast as never, {
    Identifier: ((n: Node, _s: unknown, anc: Node[]) => {
      const name = n.name as string;
      if ((!top.has(name) && !data.has(name)) || skip.has(n)) return;
      const parent = anc[anc.length - 2];
      if (parent && (parent.type === 'FunctionDeclaration' || parent.type === 'FunctionExpression') && parent.id === n) return;
      if (parent && parent.type === 'VariableDeclarator' && parent.id === n) return;
      let owner: Node | undefined;
      for (let i = anc.length - 2; i >= 0; i--) {
        const a = anc[i];
        if (!isFunction(a)) continue;
        if (a === main) break;
        if (!owner) owner = a;
        if (bound(a).has(name)) return;
      }
      const from = owner || main;
      let set = refs.get(from);
      if (!set) refs.set(from, (set = new Set()));
      set.add(name);
      if (top.has(name) && !(parent && parent.type === 'CallExpression' && parent.callee === n)) asValue.add(name);
    }) as never,
  });

  const resident = new Set<string>(asValue);
  const work: Node[] = [];
  // Roots: every function that is not a top-level one may be stored and called after boot.
  walkAll(ast, (n) => {
    if (isFunction(n) && n !== main && !topNodes.has(n)) work.push(n);
  });
  for (const name of resident) work.push(top.get(name) as Node);
  const seen = new Set<Node>();
  while (work.length) {
    const fn = work.pop() as Node;
    if (seen.has(fn)) continue;
    seen.add(fn);
    for (const name of refs.get(fn) || []) {
      resident.add(name);
      if (top.has(name)) work.push(top.get(name) as Node);
    }
  }
  const released = [...top.keys(), ...data.keys()].filter((n) => !resident.has(n));
  if (!released.length) return { code, released };
  const close = (main.body as Node).end - 1;
  // The body's last statement may end without a semicolon (a minifier leaves it to the `}`).
  const sep = /[;{}]\s*$/.test(code.slice(0, close)) ? '' : ';';
  return { code: code.slice(0, close) + sep + released.join('=') + '=void 0;' + code.slice(close), released };
}
