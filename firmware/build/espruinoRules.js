// The parts of modern JavaScript that the Espruino interpreter (2v29) lacks, measured on the
// real interpreter (../shared/design/espruino.md). One list serves two checks: ESLint on the
// sources (eslint.config.js) and the AST check of the built bundle (espruinoCheck.ts).
// Plain JavaScript so eslint.config.js can import it without a TypeScript loader.

/**
 * Syntax Espruino lacks: `id` names the rule in bundle-check reports, `selector` is an ESLint
 * (esquery) selector over ESTree. The bundle check evaluates the same selectors itself, so keep
 * them to the subset it understands: `Type`, `:function`, `*`, and `[path]`, `[path=value]`,
 * `[path!=value]`, `[path=/regex/]` attributes (it throws on anything else).
 */
export const espruinoSyntaxRules = [
  { id: 'no-destructuring', selector: 'ObjectPattern', message: 'Espruino has no destructuring.' },
  { id: 'no-destructuring', selector: 'ArrayPattern', message: 'Espruino has no destructuring.' },
  { id: 'no-default-params', selector: 'AssignmentPattern', message: 'Espruino has no default parameters.' },
  { id: 'no-rest', selector: 'RestElement', message: 'Espruino has no rest parameters.' },
  { id: 'no-spread', selector: 'SpreadElement', message: 'Espruino has no spread.' },
  { id: 'no-optional-chaining', selector: 'ChainExpression', message: 'Espruino has no optional chaining (?.).' },
  { id: 'no-exponent', selector: "BinaryExpression[operator='**']", message: 'Espruino has no ** operator; use Math.pow.' },
  { id: 'no-exponent', selector: "AssignmentExpression[operator='**=']", message: 'Espruino has no **= operator.' },
  { id: 'no-logical-assignment', selector: "AssignmentExpression[operator=/^(\\|\\||&&|\\?\\?)=$/]", message: 'Espruino has no logical assignment.' },
  { id: 'no-labels', selector: 'LabeledStatement', message: 'Espruino has no labeled statements.' },
  { id: 'no-async', selector: ':function[async=true]', message: 'Espruino has no async functions.' },
  { id: 'no-async', selector: 'AwaitExpression', message: 'Espruino has no await.' },
  { id: 'no-generators', selector: ':function[generator=true]', message: 'Espruino has no generators.' },
  { id: 'no-generators', selector: 'YieldExpression', message: 'Espruino has no generators.' },
  { id: 'no-computed-keys', selector: 'Property[computed=true]', message: 'Espruino has no computed keys ({[k]: v}).' },
  { id: 'no-private-members', selector: 'PrivateIdentifier', message: 'Espruino has no #private class members.' },
  { id: 'no-optional-catch-binding', selector: 'CatchClause[param=null]', message: 'Espruino needs a catch binding: catch (e).' },
  { id: 'no-builtin-prototype-lookup', selector: "MemberExpression[object.property.name='prototype'][object.object.name=/^(Array|Function)$/]",
    message: 'Array.prototype.* and Function.prototype.* are undefined on Espruino; call the method on an instance.' },
  { id: 'no-tagged-templates', selector: 'TaggedTemplateExpression', message: 'Keep tagged templates off the clip.' },
  { id: 'no-dynamic-import', selector: 'ImportExpression', message: 'No dynamic import on the clip.' },
  { id: 'no-static-blocks', selector: 'StaticBlock', message: 'Espruino has no class static blocks.' },
  { id: 'no-bigint', selector: 'Literal[bigint]', message: 'Espruino has no BigInt literals.' },
];

/** ESLint `no-restricted-syntax` entries: AST selectors (ESTree) with the reason. */
export const espruinoRestrictedSyntax = espruinoSyntaxRules.map((r) => ({ selector: r.selector, message: r.message }));

const missing = 'is missing on Espruino.';

/** ESLint `no-restricted-globals` entries. */
export const espruinoRestrictedGlobals = ['Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef', 'Symbol', 'Proxy', 'Reflect', 'BigInt',
  'Buffer', 'require', 'globalThis', 'queueMicrotask', 'structuredClone', 'TextEncoder', 'TextDecoder']
  .map((name) => ({ name, message: name + ' ' + missing }));

/** ESLint `no-restricted-properties` entries: object.property pairs (or any object when no object is named). */
export const espruinoRestrictedProperties = [
  ['Array', 'from'], ['Array', 'of'],
  ['Math', 'hypot'], ['Math', 'cbrt'], ['Math', 'log2'], ['Math', 'log10'], ['Math', 'fround'], ['Math', 'expm1'], ['Math', 'log1p'],
  ['Number', 'isInteger'], ['Number', 'EPSILON'], ['Number', 'isSafeInteger'], ['Number', 'MAX_SAFE_INTEGER'],
  ['Object', 'freeze'], ['Object', 'is'], ['Object', 'getOwnPropertySymbols'],
  ['Promise', 'race'], ['Promise', 'allSettled'], ['Promise', 'any'],
  [null, 'flat'], [null, 'flatMap'], [null, 'at'], [null, 'lastIndexOf'], [null, 'padEnd'], [null, 'replaceAll'],
  [null, 'findLast'], [null, 'findLastIndex'], [null, 'toSorted'], [null, 'toReversed'],
].map((pair) => (pair[0]
  ? { object: pair[0], property: pair[1], message: pair[0] + '.' + pair[1] + ' ' + missing }
  : { property: pair[1], message: '.' + pair[1] + '() ' + missing }));
