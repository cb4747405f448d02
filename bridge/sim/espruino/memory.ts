// An ESTIMATE of how many of Espruino's fixed 13-byte variables ("blocks") the firmware's live
// data takes (Puck.js v2 has 2630, MDBT42Q 2950, Bangle.js 2 12000). Espruino stores every
// object, property name and non-trivial value in these blocks; V8 does not, so the emulator
// walks the realm's object graph and counts by these rules:
//   - each object, array, function, closure scope: 1
//   - each property (also each array element, each closure variable): 1 for its name when the
//     name is ≤ 4 chars, else 1 + ceil((length − 4) / 12)  (array indices count 1)
//   - the property's value: integers (32-bit), booleans, null, undefined: 0 (packed into the
//     name block); other numbers (floats): 1; strings ≤ 4 chars: 0, else 1 + ceil((length − 4) / 12);
//     objects/arrays/functions: their own count, once (shared references and cycles count once)
//   - typed arrays / DataViews: 1, plus their ArrayBuffer once: ceil(byteLength / 12)
//     (a bare ArrayBuffer value also 1 for itself)
//   - functions: 1 + 1 per declared parameter + 1 scope link ('\xFFsco') + 2 for the code (its
//     '\xFFcod' name and a flash string pointing into Storage: executed from Storage the code
//     itself stays in flash, espruino.md) + own properties (a class's prototype methods
//     included). Pass `codeInFlash: false` to count the source as a RAM string instead. Not
//     modelled: the array Espruino makes when a closure captures more than one scope.
//   - closure scopes are read through the V8 inspector ([[Scopes]]): each distinct scope counts
//     1 + its variables. V8 gives no identity for scopes, so two scopes with the same variables
//     holding the same values count once (a small undercount for identical closures).
// Built-ins (everything reachable from the realm before the firmware ran, and the emulator's
// own globals) cost 0 and are not walked. Not modelled: Espruino's free-list fragmentation,
// flat strings, the interpreter's own bookkeeping (root, timers array, the event queue), so the
// estimate is a floor, not the truth.
import inspector from 'node:inspector';
import { types } from 'node:util';

/** Options of {@link estimateVariables}. */
export interface EstimateOptions {
  /** Objects to count as 0 and not descend into (built-ins). */
  builtins?: Set<object>;
  /** Further roots the interpreter holds (timer callbacks, watch callbacks, event listeners…). */
  extraRoots?: unknown[];
  /** Property names of `root` not to count (emulator globals). */
  skipKeys?: Set<string>;
  /** Walk closure scopes through the inspector (default true). */
  closures?: boolean;
  /** Function code stays in flash (default true). */
  codeInFlash?: boolean;
  /** The realm's Object.prototype: objects that do not inherit from it belong to the host and are not counted. */
  realmObjectPrototype?: object;
  /**
   * When given, filled with variables per holder: each closure variable and each global names
   * what it reaches first (a table, a state record, a function), so a report can say where the
   * memory goes. Sums to the total.
   */
  breakdown?: Map<string, number>;
  /** Levels of properties named in the breakdown: 1 (default) `clip`, 2 `clip.engine`, … */
  breakdownDepth?: number;
}

/** Blocks a string takes as a property value or name. */
export function stringVars(len: number): number {
  return len <= 4 ? 0 : 1 + Math.ceil((len - 4) / 12);
}

function nameVars(name: string): number {
  return name.length <= 4 || /^\d+$/.test(name) ? 1 : 1 + Math.ceil((name.length - 4) / 12);
}

function valueVars(v: unknown): number {
  if (typeof v === 'number') return Number.isInteger(v) && v >= -2147483648 && v <= 2147483647 ? 0 : 1;
  if (typeof v === 'string') return stringVars(v.length);
  return 0;
}

// A prototype whose constructor is native (Object.prototype, Array.prototype… of any realm).
function isNativePrototype(p: object): boolean {
  const d = Object.getOwnPropertyDescriptor(p, 'constructor');
  if (!d) return false;
  return typeof d.value !== 'function' || /\[native code\]\s*\}$/.test(Function.prototype.toString.call(d.value));
}

/** Everything reachable from `root` (own properties incl. non-enumerable, accessors, prototypes). */
export function collectBuiltins(root: object): Set<object> {
  const seen = new Set<object>();
  const stack: object[] = [root];
  while (stack.length) {
    const o = stack.pop()!;
    if (seen.has(o)) continue;
    seen.add(o);
    const proto = Object.getPrototypeOf(o);
    if (proto) stack.push(proto);
    for (const k of Reflect.ownKeys(o)) {
      const d = Object.getOwnPropertyDescriptor(o, k);
      if (!d) continue;
      for (const v of [d.value, d.get, d.set]) if (v !== null && (typeof v === 'object' || typeof v === 'function')) stack.push(v);
    }
  }
  return seen;
}

let session: inspector.Session | undefined;
function post<T>(method: string, params: object): T {
  if (!session) {
    session = new inspector.Session();
    session.connect();
  }
  let res: unknown;
  let err: Error | null = null;
  session.post(method, params, (e, r) => {
    err = e;
    res = r;
  });
  if (err) throw err;
  return res as T;
}

interface RemoteObject { type: string; value?: unknown; objectId?: string; description?: string; unserializableValue?: string }
interface PropertyDescriptor { name: string; value?: RemoteObject }

const SINK = '__napeMemorySink';

/** Variables of each closure scope of `fn`: [scope description, [name, value][]]. */
function closureScopes(fn: object, realmGlobal: Record<string, unknown>): [string, [string, unknown][]][] {
  const g = globalThis as Record<string, unknown>;
  g.__napeInspect = fn;
  let got: unknown;
  const sink = (v: unknown): void => {
    got = v;
  };
  g[SINK] = sink;
  realmGlobal[SINK] = sink;
  try {
    const fnObj = post<{ result: RemoteObject }>('Runtime.evaluate', { expression: 'globalThis.__napeInspect', objectGroup: 'nape' }).result;
    if (!fnObj.objectId) return [];
    const props = post<{ internalProperties?: PropertyDescriptor[] }>('Runtime.getProperties', { objectId: fnObj.objectId, ownProperties: true });
    const scopes = (props.internalProperties || []).find((p) => p.name === '[[Scopes]]');
    if (!scopes || !scopes.value || !scopes.value.objectId) return [];
    const list = post<{ result: PropertyDescriptor[] }>('Runtime.getProperties', { objectId: scopes.value.objectId, ownProperties: true }).result;
    const out: [string, [string, unknown][]][] = [];
    for (const s of list) {
      if (!/^\d+$/.test(s.name) || !s.value || !s.value.objectId) continue;
      const desc = s.value.description || '';
      if (desc === 'Global') continue;
      const vars = post<{ result: PropertyDescriptor[] }>('Runtime.getProperties', { objectId: s.value.objectId, ownProperties: true }).result;
      const entries: [string, unknown][] = [];
      for (const v of vars) {
        const r = v.value;
        if (!r) continue;
        if (r.objectId) {
          got = undefined;
          try {
            post('Runtime.callFunctionOn', { objectId: r.objectId, functionDeclaration: 'function(){ ' + SINK + '(this); }' });
          } catch {
            continue;
          }
          entries.push([v.name, got]);
        } else if (r.unserializableValue !== undefined) entries.push([v.name, r.unserializableValue === '-0' ? -0 : Number(r.unserializableValue)]);
        else entries.push([v.name, r.value]);
      }
      out.push([desc, entries]);
    }
    return out;
  } finally {
    delete g.__napeInspect;
    delete g[SINK];
    delete realmGlobal[SINK];
    post('Runtime.releaseObjectGroup', { objectGroup: 'nape' });
  }
}

/**
 * Estimated Espruino variables held by everything reachable from `root` (the realm's global)
 * and `extraRoots`, minus built-ins. See the rules at the top of this file.
 */
export function estimateVariables(root: unknown, opts: EstimateOptions = {}): number {
  const builtins = opts.builtins || new Set<object>();
  const skipKeys = opts.skipKeys || new Set<string>();
  const closures = opts.closures !== false;
  const seen = new Set<object>();
  const scopeKeys = new Set<string>();
  const ids = new Map<object, number>();
  const realmGlobal = (typeof root === 'object' && root !== null ? root : {}) as Record<string, unknown>;
  let total = 0;
  const stack: [unknown, string][] = [];
  let label = '(root)';
  const breakdown = opts.breakdown;
  const depth = opts.breakdownDepth || 1;
  let counted = 0;
  // Attributes what was added to `total` since the last call to the current label.
  const attribute = (): void => {
    if (breakdown && total !== counted) breakdown.set(label, (breakdown.get(label) || 0) + total - counted);
    counted = total;
  };

  const visitValue = (v: unknown, as?: string): number => {
    if (v !== null && (typeof v === 'object' || typeof v === 'function')) {
      stack.push([v, as || label]);
      return 0;
    }
    return valueVars(v);
  };
  const idOf = (o: object): number => {
    let id = ids.get(o);
    if (id === undefined) ids.set(o, (id = ids.size + 1));
    return id;
  };

  // Objects of the host (the emulator's own functions and state that the firmware holds, e.g.
  // the Storage module) are Espruino's native code: not in its variables, and not walked.
  const realmObjectProto = opts.realmObjectPrototype;
  const inRealm = (o: object): boolean => {
    if (!realmObjectProto) return true;
    for (let p: object | null = o; p; p = Object.getPrototypeOf(p)) if (p === realmObjectProto) return true;
    return false;
  };
  const walk = (o: object, isRoot: boolean): void => {
    if (seen.has(o) || builtins.has(o)) return;
    seen.add(o);
    if (types.isProxy(o) || (!isRoot && !inRealm(o))) return;
    if (types.isArrayBuffer(o)) {
      total += 1 + Math.ceil(o.byteLength / 12);
      return;
    }
    if (ArrayBuffer.isView(o)) {
      total += 1;
      const buf = o.buffer;
      if (!seen.has(buf)) {
        seen.add(buf);
        total += Math.ceil(buf.byteLength / 12);
      }
      return;
    }
    total += 1;
    const isFn = typeof o === 'function';
    if (isFn) {
      const f = o as (...a: unknown[]) => unknown;
      // Parameters (named children), the '\xFFsco' scope link, and the '\xFFcod' child naming the
      // code: a flash-string var pointing into Storage, or the source as a RAM string.
      total += f.length + 1 + 1;
      total += opts.codeInFlash === false ? stringVars(Function.prototype.toString.call(f).length) : 1;
      if (closures) {
        for (const [desc, vars] of closureScopes(f, realmGlobal)) {
          const key = desc + '|' + vars.map(([n, v]) => n + '=' + (v !== null && (typeof v === 'object' || typeof v === 'function') ? '#' + idOf(v) : typeof v + ':' + String(v))).join(',');
          if (scopeKeys.has(key)) continue;
          scopeKeys.add(key);
          total += 1;
          for (const [n, v] of vars) total += nameVars(n) + visitValue(v, n);
        }
      }
    }
    const isArr = Array.isArray(o);
    for (const k of Object.getOwnPropertyNames(o)) {
      if (isRoot && skipKeys.has(k)) continue;
      if (isArr && k === 'length') continue;
      if (isFn && (k === 'length' || k === 'name' || k === 'arguments' || k === 'caller')) continue;
      const d = Object.getOwnPropertyDescriptor(o, k)!;
      if (isFn && k === 'prototype') {
        const p = d.value as object | undefined;
        if (p && Object.getOwnPropertyNames(p).some((n) => n !== 'constructor')) total += nameVars(k) + visitValue(p);
        continue;
      }
      if (!isFn && !isArr && k === 'constructor' && typeof d.value === 'function') {
        total += 1;
        continue;
      }
      total += nameVars(k);
      if ('value' in d) total += visitValue(d.value, isRoot ? k : label.split('.').length < depth ? label + '.' + k : undefined);
      else {
        if (d.get) total += visitValue(d.get);
        if (d.set) total += visitValue(d.set);
      }
    }
    if (!isRoot) {
      const proto = Object.getPrototypeOf(o) as object | null;
      if (proto && !builtins.has(proto) && !isNativePrototype(proto)) total += 1 + visitValue(proto);
    }
  };

  if (root !== null && (typeof root === 'object' || typeof root === 'function')) walk(root, true);
  attribute();
  label = '(interpreter roots)';
  for (const r of opts.extraRoots || []) visitValue(r);
  while (stack.length) {
    const [v, l] = stack.pop()!;
    label = l;
    walk(v as object, false);
    attribute();
  }
  return total;
}
