// An operation counter for comparing per-sample work. Espruino interprets source text token by
// token, so its cost is roughly the number of tokens it walks. `instrumentForOps` rewrites a
// bundle (acorn) so that every executed statement adds its own token count to a global counter:
// - a statement's own tokens are its tokens minus those of the statements nested in it (those
//   count when they run); function bodies count when called, not where they are defined;
// - loop tests and updates (for/while/do-while) are charged again on every iteration, inside
//   the loop body; an arrow function with an expression body is charged per call;
// - single-statement bodies (`if (a) b();`) are wrapped in a block to make room for the counter.
// It is an estimate of interpreter work, not of time: native calls (Math.atan2, typed-array
// access) cost what their tokens cost. Off by default: instrumented code runs slower.
import { Parser, tokenizer } from 'acorn';

interface Node {
  type: string;
  start: number;
  end: number;
  [k: string]: unknown;
}

const isStatement = (n: Node): boolean =>
  (/Statement$|Declaration$/.test(n.type) && n.type !== 'BlockStatement') || n.type === 'EmptyStatement';

/** Rewrites `code` so each executed statement adds its token count to global `counter`. */
export function instrumentForOps(code: string, counter = '__napeOps'): string {
  const ast = Parser.parse(code, { ecmaVersion: 'latest', sourceType: 'script', allowReturnOutsideFunction: true }) as unknown as Node;
  const starts: number[] = [];
  for (const t of tokenizer(code, { ecmaVersion: 'latest' })) starts.push(t.start);
  const tokensIn = (a: number, b: number): number => lowerBound(starts, b) - lowerBound(starts, a);

  // Text inserted at the same position must nest: closers of deeper wraps first, then closers
  // of outer ones, then openers from outer to inner, then counter increments.
  const inserts: { at: number; text: string; key: number }[] = [];
  const open = (at: number, text: string, depth: number): void => {
    inserts.push({ at, text, key: depth });
  };
  const close = (at: number, text: string, depth: number): void => {
    inserts.push({ at, text, key: -1e6 - depth });
  };
  const count = (at: number, n: number): void => {
    inserts.push({ at, text: counter + '+=' + n + ';', key: 1e6 });
  };
  const inc = (n: number): string => counter + '+=' + n + ';';
  const LOOPS = ['ForStatement', 'WhileStatement', 'DoWhileStatement', 'ForInStatement', 'ForOfStatement'];

  // Tokens of `node` that belong to no nested statement and no nested function body.
  const ownTokens = (node: Node): number => {
    let n = tokensIn(node.start, node.end);
    const sub = (c: Node): void => {
      if (isStatement(c) || c.type === 'BlockStatement' || c.type === 'ClassBody') {
        n -= tokensIn(c.start, c.end);
        return;
      }
      if (c.type === 'ArrowFunctionExpression' || c.type === 'FunctionExpression') {
        const body = c.body as Node;
        n -= tokensIn(body.start, body.end);
        return;
      }
      children(c).forEach(sub);
    };
    children(node).forEach(sub);
    return Math.max(n, 0);
  };

  const loopExtra = (s: Node): number => {
    let n = 0;
    for (const k of ['test', 'update']) {
      const c = s[k] as Node | null | undefined;
      if (c) n += tokensIn(c.start, c.end);
    }
    return n;
  };

  const visitStatement = (s: Node, inList: boolean, depth: number): void => {
    if (inList) count(s.start, ownTokens(s));
    else {
      open(s.start, '{' + inc(ownTokens(s)), depth);
      close(s.end, '}', depth);
    }
    visitChildren(s, depth + 1);
  };

  const visitChildren = (node: Node, depth: number): void => {
    // A bare block in a statement list (`{ let a = 1; f(a); }`): its statements form a list too.
    if (node.type === 'BlockStatement') {
      (node.body as Node[]).forEach((s) => visitStatement(s, true, depth + 1));
      return;
    }
    for (const [key, c] of childEntries(node)) {
      const loopBody = LOOPS.includes(node.type) && key === 'body';
      if (c.type === 'BlockStatement') {
        if (loopBody && loopExtra(node)) count(c.start + 1, loopExtra(node));
        (c.body as Node[]).forEach((s) => visitStatement(s, true, depth + 1));
        continue;
      }
      if (c.type === 'SwitchCase') {
        if (c.test) visitChildren(c.test as Node, depth + 1);
        (c.consequent as Node[]).forEach((s) => visitStatement(s, true, depth + 1));
        continue;
      }
      if (c.type === 'ArrowFunctionExpression' && (c.body as Node).type !== 'BlockStatement') {
        const b = c.body as Node;
        for (const [, p] of childEntries(c)) if (p !== b) visitChildren(p, depth + 1);
        // A parenthesised body (`() => ({a: 1})`) starts at its parenthesis, not at the node.
        const from = code.lastIndexOf('=>', b.start) + 2;
        open(from, '{' + inc(tokensIn(b.start, b.end)) + 'return (', depth);
        close(c.end, ')}', depth);
        visitChildren(b, depth + 1);
        continue;
      }
      if (isStatement(c)) {
        if ((key === 'init' && node.type === 'ForStatement') || (key === 'left' && LOOPS.includes(node.type))) {
          visitChildren(c, depth + 1);
          continue;
        }
        if (loopBody) {
          open(c.start, '{' + inc(loopExtra(node)), depth);
          close(c.end, '}', depth);
          visitStatement(c, false, depth + 1);
          continue;
        }
        visitStatement(c, false, depth);
        continue;
      }
      visitChildren(c, depth + 1);
    }
  };

  (ast.body as Node[]).forEach((s) => visitStatement(s, true, 0));
  inserts.sort((a, b) => b.at - a.at || b.key - a.key);
  let out = code;
  for (const i of inserts) out = out.slice(0, i.at) + i.text + out.slice(i.at);
  return out;
}

function lowerBound(a: number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (a[m] < x) lo = m + 1;
    else hi = m;
  }
  return lo;
}

function childEntries(node: Node): [string, Node][] {
  const out: [string, Node][] = [];
  for (const k of Object.keys(node)) {
    if (k === 'type' || k === 'start' || k === 'end') continue;
    const v = node[k];
    if (Array.isArray(v)) {
      for (const x of v) if (x && typeof x === 'object' && typeof (x as Node).type === 'string') out.push([k, x as Node]);
    } else if (v && typeof v === 'object' && typeof (v as Node).type === 'string') out.push([k, v as Node]);
  }
  return out;
}

function children(node: Node): Node[] {
  return childEntries(node).map((e) => e[1]);
}
