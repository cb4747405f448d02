// A stand-in for the Espruino interpreter in tests: a fresh V8 realm (node:vm) with the
// built-ins Espruino lacks removed, so a bundle that leans on them fails here as on the clip.
// The board APIs (NRF, E, Storage, Puck, setWatch, timers…) are not part of it: callers pass
// their emulations in through `globals`.
//
// Not emulated (covered by the static check in espruinoCheck.ts, or not at all):
// - `Array.prototype.slice`, `Array.prototype.indexOf`, `Function.prototype.call` being
//   undefined as prototype lookups: deleting them would break every instance too.
// - Syntax Espruino cannot parse (destructuring, `?.`, async…): V8 parses it all.
// - `Number.EPSILON` and `Number.MAX_SAFE_INTEGER`: non-configurable in V8, so they stay.
// - No hoisting of function declarations, no per-iteration `let` binding, inexact number
//   literals, plain `Error`s without `name`, and the memory model (2630 variables on Puck.js).
import vm from 'node:vm';
import { espruinoRestrictedGlobals, espruinoRestrictedProperties } from './espruinoRules.js';

/** Options of {@link createEspruinoVm}. */
export interface EspruinoVmOptions {
  /** Extra globals (board emulations: NRF, E, Storage, Puck, setWatch…), set after the prelude. */
  globals?: Record<string, unknown>;
  /** Virtual clock in ms behind `getTime()`; default: always 0. `setTime(s)` inside adds an offset. */
  nowMs?: () => number;
}

/** A running emulated interpreter. */
export interface EspruinoVm {
  /** Runs a script (e.g. a bundle) in the context and returns its completion value. */
  run(code: string, filename?: string): unknown;
  /** The context; its global object is the interpreter's root scope. */
  context: vm.Context;
  /** One entry per `print`/`console.*` call, arguments joined by spaces. */
  output: string[];
}

/** Globals V8 has and Espruino lacks that the lint list does not name (nothing can use them by accident). */
const EXTRA_MISSING_GLOBALS = ['FinalizationRegistry', 'Intl', 'WebAssembly', 'SharedArrayBuffer', 'Atomics',
  'BigInt64Array', 'BigUint64Array', 'AggregateError', 'Iterator'];

// Runs inside the context, so the deletions touch only that realm's built-ins, never Node's.
// Plain ES5 text rather than a TypeScript function's toString(): coverage instrumentation or
// transpiler helpers must not leak into the realm.
const PRELUDE = `(function (g, globals, props) {
  var typedArrayProto = Object.getPrototypeOf(Int8Array.prototype);
  var protos = [Array.prototype, String.prototype, typedArrayProto];
  for (var i = 0; i < props.length; i++) {
    var p = props[i];
    if (p.object) { if (g[p.object]) delete g[p.object][p.property]; }
    else for (var j = 0; j < protos.length; j++) delete protos[j][p.property];
  }
  var floor = Math.floor;
  // Espruino rounds halves away from zero: Math.round(-0.5) is -1.
  Math.round = function round(x) { return x < 0 ? -floor(-x + 0.5) : floor(x + 0.5); };
  g.global = g;
  for (var k = 0; k < globals.length; k++) delete g[globals[k]];
})`;

function show(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'function' || v === undefined) return String(v);
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

/**
 * Creates a fresh emulated Espruino interpreter: a vm context whose realm lacks Map, Set,
 * WeakMap, Symbol, Proxy, Reflect, BigInt, globalThis… and the properties in espruinoRules.js
 * (Array.from, Math.hypot, Number.isInteger, Object.freeze, Promise.race, `.flat`, `.at`,
 * `.lastIndexOf`…), with `print`/`console.log` captured into `output`, `getTime()`/`setTime()`
 * on a virtual clock, `btoa`/`atob`, `global`, and `Math.round` rounding halves away from zero.
 */
export function createEspruinoVm(options: EspruinoVmOptions = {}): EspruinoVm {
  const output: string[] = [];
  const nowMs = options.nowMs || (() => 0);
  let offsetMs = 0;
  const context = vm.createContext({});
  const missing = espruinoRestrictedGlobals.map((g) => g.name).concat(EXTRA_MISSING_GLOBALS);
  const props = espruinoRestrictedProperties.map((p) => ({ object: 'object' in p ? p.object : null, property: p.property }));
  const prelude = vm.runInContext(PRELUDE, context, { filename: 'espruino-prelude.js' }) as (...args: unknown[]) => void;
  prelude(vm.runInContext('this', context), missing, props);

  const print = (...args: unknown[]): void => {
    output.push(args.map(show).join(' '));
  };
  const builtins: Record<string, unknown> = {
    print,
    console: { log: print, info: print, warn: print, error: print, debug: print },
    getTime: () => (nowMs() + offsetMs) / 1000,
    setTime: (s: number) => {
      offsetMs = s * 1000 - nowMs();
    },
    btoa: (s: string) => btoa(s),
    atob: (s: string) => atob(s),
  };
  Object.assign(context, builtins, options.globals || {});
  return {
    run: (code, filename = 'bundle.js') => vm.runInContext(code, context, { filename }),
    context,
    output,
  };
}
