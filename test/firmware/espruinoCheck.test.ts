import { describe, expect, it } from 'vitest';
import { checkEspruinoSource, compileSelector, formatViolations } from '../../firmware/build/espruinoCheck.ts';
import {
  espruinoRestrictedGlobals,
  espruinoRestrictedProperties,
  espruinoSyntaxRules,
} from '../../firmware/build/espruinoRules.js';

const rules = (code: string): string[] => checkEspruinoSource(code).map((v) => v.rule);

/** A minimal snippet per selector of espruinoRules.js; a new selector without one fails the coverage test. */
const SYNTAX_SNIPPETS: Record<string, string> = {
  ObjectPattern: 'var { a } = o;',
  ArrayPattern: 'var [a] = o;',
  AssignmentPattern: 'function f(a = 1) { return a; }',
  RestElement: 'function f(...a) { return a; }',
  SpreadElement: 'f(...a);',
  ChainExpression: 'o?.p;',
  "BinaryExpression[operator='**']": '2 ** 3;',
  "AssignmentExpression[operator='**=']": 'a **= 2;',
  "AssignmentExpression[operator=/^(\\|\\||&&|\\?\\?)=$/]": 'a ??= 1; b ||= 2; c &&= 3;',
  LabeledStatement: 'outer: for (;;) break outer;',
  ':function[async=true]': 'var f = async () => 1;',
  AwaitExpression: 'async function f() { await g; }',
  ':function[generator=true]': 'var g = function* () {};',
  YieldExpression: 'function* g() { yield 1; }',
  'Property[computed=true]': 'var o = { [k]: 1 };',
  PrivateIdentifier: 'class A { #p = 1; }',
  'CatchClause[param=null]': 'try { f(); } catch { g(); }',
  "MemberExpression[object.property.name='prototype'][object.object.name=/^(Array|Function)$/]":
    'Array.prototype.slice.call(arguments);',
  TaggedTemplateExpression: 'tag`x`;',
  ImportExpression: "import('x');",
  StaticBlock: 'class A { static { init(); } }',
  'Literal[bigint]': 'var n = 10n;',
};

describe('checkEspruinoSource: syntax rules from espruinoRules.js', () => {
  it('has a snippet for every selector in the list', () => {
    expect(Object.keys(SYNTAX_SNIPPETS).sort()).toEqual(espruinoSyntaxRules.map((r) => r.selector).sort());
  });

  for (const rule of espruinoSyntaxRules) {
    it(rule.id + ' fires on ' + rule.selector, () => {
      const found = checkEspruinoSource(SYNTAX_SNIPPETS[rule.selector]);
      expect(found.map((v) => v.message)).toContain(rule.message);
      expect(found.map((v) => v.rule)).toContain(rule.id);
    });
  }

  it('reports 1-based line and column with the offending source', () => {
    const v = checkEspruinoSource('var a = 1;\nvar b = a ** 2;')[0];
    expect(v).toMatchObject({ rule: 'no-exponent', line: 2, column: 9, snippet: 'a ** 2' });
    expect(formatViolations([v])).toBe('<bundle>:2:9  no-exponent  Espruino has no ** operator; use Math.pow.  `a ** 2`');
  });

  it('reports unparsable input as one syntax-error', () => {
    const v = checkEspruinoSource('var = ;');
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ rule: 'syntax-error', line: 1 });
  });

  it('refuses selector syntax it cannot evaluate instead of silently matching nothing', () => {
    expect(() => compileSelector('CallExpression > Identifier')).toThrow(/Unsupported selector/);
    expect(() => compileSelector('Identifier[name>3]')).toThrow(/Unsupported selector/);
  });

  it('evaluates attribute selectors like esquery', () => {
    const ident = { type: 'Identifier', start: 0, end: 1, name: 'x' };
    expect(compileSelector("Identifier[name='x']")(ident)).toBe(true);
    expect(compileSelector('Identifier[name!="x"]')(ident)).toBe(false);
    expect(compileSelector('*[name=/^x$/]')(ident)).toBe(true);
    expect(compileSelector('[missing]')(ident)).toBe(false);
  });
});

describe('checkEspruinoSource: restricted globals', () => {
  for (const g of espruinoRestrictedGlobals) {
    it(g.name + ' is reported when referenced', () => {
      const v = checkEspruinoSource('var x = ' + g.name + ';');
      expect(v.map((x) => x.message)).toEqual([g.message]);
      expect(v[0].rule).toBe('no-restricted-globals');
    });
  }

  it('ignores property keys, member names and names declared in the bundle', () => {
    expect(rules('var o = { Map: 1, Set() {} }; o.Map; o.Symbol = 2; class C { Proxy() {} }')).toEqual([]);
    expect(rules('function f(Map) { return new Map(); } var Set = 1; Set++;')).toEqual([]);
    expect(rules('var o = { Map };')).toEqual(['no-restricted-globals']);
  });

  it('lets the caller allow some (Espruino has require for its own modules)', () => {
    expect(checkEspruinoSource('require("Storage")', { allowGlobals: ['require'] })).toEqual([]);
    expect(rules('require("Storage")')).toEqual(['no-restricted-globals']);
  });
});

describe('checkEspruinoSource: restricted properties', () => {
  for (const p of espruinoRestrictedProperties) {
    const code = ('object' in p ? p.object : 'x') + '.' + p.property + '(a);';
    it(code + ' is reported', () => {
      const v = checkEspruinoSource(code);
      expect(v.map((x) => x.message)).toEqual([p.message]);
      expect(v[0].rule).toBe('no-restricted-properties');
    });
  }

  it('also catches computed string access, and leaves other objects and shadowed names alone', () => {
    expect(rules('Math["hypot"](3, 4);')).toEqual(['no-restricted-properties']);
    expect(rules('Math.sqrt(2); Array.isArray(a); Object.keys(o); Promise.all([]); x.map(f);')).toEqual([]);
    expect(rules('var Math = { hypot: function () {} }; Math.hypot();')).toEqual([]);
  });
});

describe('checkEspruinoSource: function declarations are not hoisted', () => {
  it('reports a use before the declaration at the top level and in function bodies', () => {
    expect(rules('run(); function run() {}')).toEqual(['no-use-before-declare']);
    expect(rules('function outer() { var r = inner(); function inner() { return 1; } return r; }')).toEqual(['no-use-before-declare']);
    expect(rules('setWatch(onPress); function onPress() {}')).toEqual(['no-use-before-declare']);
  });

  it('follows calls through functions declared earlier', () => {
    const v = checkEspruinoSource('function a() { return b(); }\nvar x = a();\nfunction b() { return 1; }');
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ rule: 'no-use-before-declare', line: 2 });
    expect(v[0].message).toMatch(/a\(\) is called before b\(\) is declared/);
  });

  it('allows declare-then-use, and uses inside functions that run later', () => {
    expect(rules('function run() {} run();')).toEqual([]);
    expect(rules('var later = function () { return f(); }; function f() { return 1; } later();')).toEqual([]);
    expect(rules('function a() { return b(); } function b() { return 1; } a();')).toEqual([]);
    expect(rules('{ let f = 1; f; } function f() {}')).toEqual([]);
  });
});

describe('checkEspruinoSource: loop closures', () => {
  it('reports a closure over a for (let …) variable', () => {
    expect(rules('var fs = []; for (let i = 0; i < 3; i++) fs.push(function () { return i; });')).toEqual(['no-loop-binding-closure']);
    expect(rules('for (const k of ks) setTimeout(() => print(k), 10);')).toEqual(['no-loop-binding-closure']);
  });

  it('allows callbacks that run within the iteration, closures over other names, and var loops', () => {
    expect(rules('for (let i = 0; i < n; i++) out.push(xs.filter((x) => x === i));')).toEqual([]);
    expect(rules('for (let i = 0; i < n; i++) fs.push(() => n);')).toEqual([]);
    expect(rules('for (var i = 0; i < n; i++) fs.push(() => i);')).toEqual([]);
  });
});

describe('checkEspruinoSource: inexact number literals', () => {
  it('reports equality against a fractional literal, not against integers or in ordering comparisons', () => {
    expect(rules('if (x === 0.75) f(); if (.5 != y) g();')).toEqual(['no-float-literal-equality', 'no-float-literal-equality']);
    expect(rules('if (x === 3 || x < 0.75 || Math.abs(x - 0.75) < 1e-6) f();')).toEqual([]);
  });
});

describe('checkEspruinoSource: what Espruino does run', () => {
  const clean: Record<string, string> = {
    'nullish coalescing': 'var a = b ?? c;',
    'arrow functions and lexical this': 'var f = (x) => x + 1; var g = () => { return this; };',
    classes: 'class A extends B { constructor() { super(); this.x = 1; } get y() { return 1; } set y(v) {} static z() {} }',
    'class fields': 'class A { x = 1; static y = 2; }',
    'template literals': 'var s = `a${b}c`;',
    'for..of and let/const': 'for (const x of xs) { let y = x; print(y); }',
    'try/catch/finally': 'try { f(); } catch (e) { g(e); } finally { h(); }',
    'shorthand properties and methods': 'var o = { a, b() { return 1; }, get c() { return 2; } };',
    'instance method borrowing': 'var args = [].slice.call(arguments);',
    'Math.pow, RegExp, JSON': 'var p = Math.pow(2, 3); var r = /a+/g.test(s); JSON.stringify(o);',
    'Promise then/catch/all': 'Promise.all([p]).then(function (v) { return v; }).catch(function (e) { print(e); });',
    'typed arrays': 'var d = new DataView(new Uint8Array(4).buffer); d.getInt16(0, true);',
  };
  for (const [name, code] of Object.entries(clean)) {
    it(name, () => {
      expect(checkEspruinoSource(code)).toEqual([]);
    });
  }
});
