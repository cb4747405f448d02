// The parts of modern JavaScript that the Espruino interpreter (2v29) lacks, measured on the
// real interpreter (../shared/design/espruino.md). One list serves two checks: ESLint on the
// sources (eslint.config.js) and the AST check of the built bundle (espruinoCheck.ts).
// Plain JavaScript so eslint.config.js can import it without a TypeScript loader.

/** ESLint `no-restricted-syntax` entries: AST selectors (ESTree) with the reason. */
export const espruinoRestrictedSyntax = [
  { selector: 'ObjectPattern', message: 'Espruino has no destructuring.' },
  { selector: 'ArrayPattern', message: 'Espruino has no destructuring.' },
  { selector: 'AssignmentPattern', message: 'Espruino has no default parameters.' },
  { selector: 'RestElement', message: 'Espruino has no rest parameters.' },
  { selector: 'SpreadElement', message: 'Espruino has no spread.' },
  { selector: 'ChainExpression', message: 'Espruino has no optional chaining (?.).' },
  { selector: "BinaryExpression[operator='**']", message: 'Espruino has no ** operator; use Math.pow.' },
  { selector: "AssignmentExpression[operator='**=']", message: 'Espruino has no **= operator.' },
  { selector: "AssignmentExpression[operator=/^(\\|\\||&&|\\?\\?)=$/]", message: 'Espruino has no logical assignment.' },
  { selector: 'LabeledStatement', message: 'Espruino has no labeled statements.' },
  { selector: ':function[async=true]', message: 'Espruino has no async functions.' },
  { selector: 'AwaitExpression', message: 'Espruino has no await.' },
  { selector: ':function[generator=true]', message: 'Espruino has no generators.' },
  { selector: 'YieldExpression', message: 'Espruino has no generators.' },
  { selector: 'Property[computed=true]', message: 'Espruino has no computed keys ({[k]: v}).' },
  { selector: 'PrivateIdentifier', message: 'Espruino has no #private class members.' },
  { selector: 'CatchClause[param=null]', message: 'Espruino needs a catch binding: catch (e).' },
  { selector: "MemberExpression[object.property.name='prototype'][object.object.name=/^(Array|Function)$/]",
    message: 'Array.prototype.* and Function.prototype.* are undefined on Espruino; call the method on an instance.' },
  { selector: 'TaggedTemplateExpression', message: 'Keep tagged templates off the clip.' },
  { selector: 'ImportExpression', message: 'No dynamic import on the clip.' },
];

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
