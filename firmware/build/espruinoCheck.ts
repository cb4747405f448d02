// Static check of built JavaScript against what the Espruino interpreter (2v29) can run
// (../../../shared/design/espruino.md). The rules come from espruinoRules.js, the same list ESLint
// applies to the sources; this check runs on the bundle because esbuild and its helpers can
// still emit things the sources never wrote, and because a few limits (no hoisting of function
// declarations, no per-iteration `let` bindings) are not expressible as ESLint selectors.
import { parse } from 'acorn';
import {
  espruinoSyntaxRules,
  espruinoRestrictedGlobals,
  espruinoRestrictedProperties,
} from './espruinoRules.js';

/** One thing in the code that Espruino cannot run. `line` and `column` are 1-based. */
export interface Violation {
  rule: string;
  message: string;
  line: number;
  column: number;
  snippet: string;
}

/** Options of {@link checkEspruinoSource}. */
export interface EspruinoCheckOptions {
  /** Restricted globals the code may reference anyway (e.g. `require` for Espruino's own modules). */
  allowGlobals?: readonly string[];
}

/** An ESTree node as acorn produces it; only the fields this file reads are typed. */
interface Node {
  type: string;
  start: number;
  end: number;
  loc?: { start: { line: number; column: number } };
  [key: string]: unknown;
}

/** A child visited during the walk, with where it hangs off its parent. */
interface Visit {
  node: Node;
  parent: Node | null;
  key: string;
}

const FUNCTION_TYPES = ['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression'];
/** Array methods that call their callback before returning, so a closure passed to them cannot outlive the iteration. */
const SYNC_CALLBACK_METHODS = ['map', 'filter', 'forEach', 'some', 'every', 'find', 'findIndex', 'reduce', 'reduceRight', 'sort'];

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && typeof (v as Node).type === 'string';
}

/**
 * Every child node of `node`, in source order. A generic walk rather than acorn-walk's base
 * visitor, because that one skips non-computed keys, `#private` names and the Property /
 * RestElement nodes inside patterns, which the selectors must see.
 */
function children(node: Node): Visit[] {
  const out: Visit[] = [];
  for (const key of Object.keys(node)) {
    if (key === 'loc') continue;
    const v = node[key];
    if (Array.isArray(v)) {
      for (const item of v) if (isNode(item)) out.push({ node: item, parent: node, key });
    } else if (isNode(v)) out.push({ node: v, parent: node, key });
  }
  return out.sort((a, b) => a.node.start - b.node.start);
}

function walk(node: Node, parent: Node | null, key: string, visit: (v: Visit) => void): void {
  visit({ node, parent, key });
  for (const c of children(node)) walk(c.node, c.parent, c.key, visit);
}

// ---- the esquery subset used by espruinoRules.js --------------------------------------------

type NodeTest = (n: Node) => boolean;

function getPath(n: Node, path: string): unknown {
  let v: unknown = n;
  for (const part of path.split('.')) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/** Compiles one selector of the supported subset into a node test; throws on anything else. */
export function compileSelector(selector: string): NodeTest {
  const head = /^(:function|\*|[A-Za-z]+)?/.exec(selector);
  const base = head ? head[1] : undefined;
  const tests: NodeTest[] = [];
  if (base === ':function') tests.push((n) => FUNCTION_TYPES.indexOf(n.type) >= 0);
  else if (base && base !== '*') tests.push((n) => n.type === base);
  let i = head ? head[0].length : 0;
  while (i < selector.length) {
    if (selector[i] !== '[') throw new Error('Unsupported selector syntax at ' + i + ': ' + selector);
    const m = /^\[([A-Za-z_.]+)(?:(!?=)('[^']*'|"[^"]*"|\/(?:\\.|[^/\\])+\/[a-z]*|[^\]]+))?\]/.exec(selector.slice(i));
    if (!m) throw new Error('Unsupported selector attribute at ' + i + ': ' + selector);
    const path = m[1];
    const op = m[2];
    const raw = m[3];
    if (!op) tests.push((n) => getPath(n, path) != null);
    else {
      let match: (v: unknown) => boolean;
      if (raw[0] === '/') {
        const end = raw.lastIndexOf('/');
        const re = new RegExp(raw.slice(1, end), raw.slice(end + 1));
        match = (v) => typeof v === 'string' && re.test(v);
      } else {
        // esquery compares literals as strings: [async=true] and [param=null] match those values.
        const lit = raw[0] === "'" || raw[0] === '"' ? raw.slice(1, -1) : raw;
        match = (v) => String(v) === lit;
      }
      tests.push(op === '=' ? (n) => match(getPath(n, path)) : (n) => !match(getPath(n, path)));
    }
    i += m[0].length;
  }
  if (tests.length === 0) throw new Error('Empty selector: ' + selector);
  return (n) => tests.every((t) => t(n));
}

const syntaxTests = espruinoSyntaxRules.map((r) => ({ id: r.id, message: r.message, test: compileSelector(r.selector) }));

// ---- identifiers: declarations vs references ------------------------------------------------

/** Identifiers bound by a pattern (declaration target). */
function patternIds(p: Node | null | undefined, out: Node[]): Node[] {
  if (!p) return out;
  if (p.type === 'Identifier') out.push(p);
  else if (p.type === 'ObjectPattern') {
    for (const prop of p.properties as Node[]) patternIds(prop.type === 'RestElement' ? prop : (prop.value as Node), out);
  } else if (p.type === 'ArrayPattern') for (const e of p.elements as (Node | null)[]) patternIds(e, out);
  else if (p.type === 'AssignmentPattern') patternIds(p.left as Node, out);
  else if (p.type === 'RestElement') patternIds(p.argument as Node, out);
  return out;
}

/** Identifiers a node declares directly (not those of its descendants). */
function declaredIds(n: Node): Node[] {
  const out: Node[] = [];
  if (n.type === 'VariableDeclarator') patternIds(n.id as Node, out);
  else if (FUNCTION_TYPES.indexOf(n.type) >= 0) {
    if (n.id) out.push(n.id as Node);
    for (const p of n.params as Node[]) patternIds(p, out);
  } else if (n.type === 'ClassDeclaration' || n.type === 'ClassExpression') {
    if (n.id) out.push(n.id as Node);
  } else if (n.type === 'CatchClause') patternIds(n.param as Node | null, out);
  return out;
}

/** Whether an Identifier at this position reads a variable (as opposed to naming a key or label). */
function isReferencePosition(parent: Node | null, key: string): boolean {
  if (!parent) return true;
  if (parent.type === 'MemberExpression') return key !== 'property' || parent.computed === true;
  if (parent.type === 'Property' || parent.type === 'MethodDefinition' || parent.type === 'PropertyDefinition') {
    return key !== 'key' || parent.computed === true;
  }
  if (parent.type === 'LabeledStatement' || parent.type === 'BreakStatement' || parent.type === 'ContinueStatement') return false;
  return parent.type !== 'MetaProperty' && !/Specifier$/.test(parent.type);
}

/** Names declared anywhere inside `node`. */
function namesDeclaredIn(node: Node): Set<string> {
  const names = new Set<string>();
  walk(node, null, '', (v) => {
    for (const id of declaredIds(v.node)) names.add(id.name as string);
  });
  return names;
}

/**
 * Variable references inside `node`. With `immediate`, code inside nested functions (and
 * instance field initialisers) is left out: it does not run when `node` runs.
 */
function references(node: Node, immediate: boolean): Visit[] {
  const decl = new Set<Node>();
  const out: Visit[] = [];
  const visit = (n: Node, parent: Node | null, key: string, top: boolean): void => {
    if (immediate && !top && (FUNCTION_TYPES.indexOf(n.type) >= 0 || (n.type === 'PropertyDefinition' && !n.static))) {
      return;
    }
    for (const id of declaredIds(n)) decl.add(id);
    if (n.type === 'Identifier' && !decl.has(n) && isReferencePosition(parent, key)) out.push({ node: n, parent, key });
    for (const c of children(n)) visit(c.node, c.parent, c.key, false);
  };
  visit(node, null, '', true);
  return out;
}

// ---- the checks -----------------------------------------------------------------------------

const STATEMENT_LISTS: Record<string, string> = { Program: 'body', BlockStatement: 'body', StaticBlock: 'body', SwitchCase: 'consequent' };

/**
 * Function declarations used before the statement that declares them has run. Espruino does
 * not hoist them, so at that point the name is still undefined. Follows calls through functions
 * declared earlier in the same list (`a(); … function a() { b(); } … function b() {}` fails too).
 */
function checkHoisting(list: Node[], report: (n: Node, rule: string, message: string) => void): void {
  const fnIndex = new Map<string, number>();
  list.forEach((s, i) => {
    if (s.type === 'FunctionDeclaration' && s.id && !fnIndex.has((s.id as Node).name as string)) fnIndex.set((s.id as Node).name as string, i);
  });
  if (fnIndex.size === 0) return;
  const usesCache = new Map<string, string[]>();
  const uses = (name: string): string[] => {
    let u = usesCache.get(name);
    if (!u) {
      const fn = list[fnIndex.get(name) as number];
      const local = namesDeclaredIn(fn.body as Node);
      u = references(fn.body as Node, false).map((r) => r.node.name as string).filter((n) => fnIndex.has(n) && !local.has(n));
      usesCache.set(name, u);
    }
    return u;
  };
  list.forEach((stmt, i) => {
    if (stmt.type === 'FunctionDeclaration') return;
    const shadowed = namesDeclaredIn(stmt);
    for (const ref of references(stmt, true)) {
      const name = ref.node.name as string;
      if (!fnIndex.has(name) || shadowed.has(name)) continue;
      if ((fnIndex.get(name) as number) > i) {
        report(ref.node, 'no-use-before-declare',
          name + ' is used before its function declaration; Espruino does not hoist function declarations.');
        continue;
      }
      const isCall = ref.parent && (ref.parent.type === 'CallExpression' || ref.parent.type === 'NewExpression') && ref.key === 'callee';
      if (!isCall) continue;
      const seen = new Set<string>([name]);
      const queue = [name];
      while (queue.length) {
        const late = uses(queue.shift() as string).filter((u) => !seen.has(u));
        for (const u of late) {
          if ((fnIndex.get(u) as number) > i) {
            report(ref.node, 'no-use-before-declare',
              name + '() is called before ' + u + '() is declared (it calls it); Espruino does not hoist function declarations.');
            return;
          }
          seen.add(u);
          queue.push(u);
        }
      }
    }
  });
}

/** Closures over a loop's `let`/`const` variable: Espruino shares one binding across iterations. */
function checkLoopClosures(loop: Node, report: (n: Node, rule: string, message: string) => void): void {
  const head = (loop.type === 'ForStatement' ? loop.init : loop.left) as Node | null;
  if (!head || head.type !== 'VariableDeclaration' || head.kind === 'var') return;
  const names = new Set<string>();
  for (const d of head.declarations as Node[]) for (const id of patternIds(d.id as Node, [])) names.add(id.name as string);
  walk(loop.body as Node, loop, 'body', (v) => {
    if (FUNCTION_TYPES.indexOf(v.node.type) < 0) return;
    const p = v.parent;
    const syncCallback = p && p.type === 'CallExpression' && v.key === 'arguments' && isNode(p.callee) &&
      p.callee.type === 'MemberExpression' && isNode(p.callee.property) &&
      SYNC_CALLBACK_METHODS.indexOf(p.callee.property.name as string) >= 0;
    if (syncCallback) return;
    const local = namesDeclaredIn(v.node);
    const captured = references(v.node, false).filter((r) => names.has(r.node.name as string) && !local.has(r.node.name as string));
    if (captured.length) {
      report(v.node, 'no-loop-binding-closure', 'A closure captures loop variable ' + (captured[0].node.name as string) +
        '; Espruino has no per-iteration binding, so every closure sees its last value. Copy it into a function parameter.');
    }
  });
}

/** A number literal with a fractional part (after minification `.5`, `1e-3`…). */
function isFraction(n: unknown): boolean {
  return isNode(n) && n.type === 'Literal' && typeof n.value === 'number' && Math.floor(n.value) !== n.value;
}

/**
 * Checks JavaScript (normally a built bundle) for everything Espruino cannot run: the syntax,
 * globals and properties listed in espruinoRules.js, function declarations used before they
 * are declared, closures over `for (let …)` variables, and `===`/`!==` against fractional number
 * literals (Espruino parses those inexactly). An unparsable input yields a single
 * `syntax-error` violation. Returns violations in source order.
 */
export function checkEspruinoSource(code: string, options: EspruinoCheckOptions = {}): Violation[] {
  const lines = code.split('\n');
  const violations: Violation[] = [];
  const report = (n: Node, rule: string, message: string): void => {
    const loc = n.loc ? n.loc.start : { line: 1, column: 0 };
    const snippet = code.slice(n.start, Math.min(n.end, n.start + 80)).replace(/\s+/g, ' ');
    violations.push({ rule, message, line: loc.line, column: loc.column + 1, snippet });
  };
  let program: Node;
  try {
    program = parse(code, { ecmaVersion: 'latest', sourceType: 'script', locations: true, allowHashBang: true }) as unknown as Node;
  } catch (e) {
    const err = e as Error & { loc?: { line: number; column: number } };
    const loc = err.loc || { line: 1, column: 0 };
    return [{ rule: 'syntax-error', message: err.message, line: loc.line, column: loc.column + 1,
      snippet: (lines[loc.line - 1] || '').slice(Math.max(0, loc.column - 30), loc.column + 50) }];
  }

  const allowed = new Set(options.allowGlobals || []);
  const restrictedGlobals = new Map(espruinoRestrictedGlobals.filter((g) => !allowed.has(g.name)).map((g) => [g.name, g.message]));
  const declared = new Set<string>();
  const declarationIds = new Set<Node>();
  // Resolved after the walk: a declaration anywhere in the bundle shadows the global.
  const globalRefs: Node[] = [];
  const memberRefs: { node: Node; object: string | null; property: string }[] = [];

  walk(program, null, '', (v) => {
    const n = v.node;
    for (const t of syntaxTests) if (t.test(n)) report(n, t.id, t.message);
    for (const id of declaredIds(n)) {
      declared.add(id.name as string);
      declarationIds.add(id);
    }
    if (n.type === 'Identifier' && restrictedGlobals.has(n.name as string) && !declarationIds.has(n) && isReferencePosition(v.parent, v.key)) {
      globalRefs.push(n);
    }
    if (n.type === 'MemberExpression' && isNode(n.property)) {
      const prop = n.property;
      const name = !n.computed && prop.type === 'Identifier' ? prop.name : n.computed && prop.type === 'Literal' ? prop.value : undefined;
      if (typeof name === 'string') {
        const obj = isNode(n.object) && n.object.type === 'Identifier' ? (n.object.name as string) : null;
        memberRefs.push({ node: n, object: obj, property: name });
      }
    }
    if (n.type === 'BinaryExpression' && /^[!=]==?$/.test(n.operator as string) && (isFraction(n.left) || isFraction(n.right))) {
      report(n, 'no-float-literal-equality', 'Espruino parses number literals inexactly (0.75 === 3/4 is false); compare with a tolerance.');
    }
    if (STATEMENT_LISTS[n.type]) checkHoisting(n[STATEMENT_LISTS[n.type]] as Node[], report);
    if (n.type === 'ForStatement' || n.type === 'ForOfStatement' || n.type === 'ForInStatement') checkLoopClosures(n, report);
  });

  for (const n of globalRefs) {
    if (!declared.has(n.name as string)) report(n, 'no-restricted-globals', restrictedGlobals.get(n.name as string) as string);
  }
  for (const m of memberRefs) {
    for (const r of espruinoRestrictedProperties) {
      if (r.property !== m.property) continue;
      if ('object' in r && r.object && (r.object !== m.object || declared.has(r.object))) continue;
      report(m.node, 'no-restricted-properties', r.message);
    }
  }
  return violations.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** Formats violations one per line as `line:column  rule  message  (snippet)`. */
export function formatViolations(violations: readonly Violation[], file = '<bundle>'): string {
  return violations.map((v) => file + ':' + v.line + ':' + v.column + '  ' + v.rule + '  ' + v.message + '  `' + v.snippet + '`').join('\n');
}
