import { describe, expect, it } from 'vitest';
import { createEspruinoVm } from '../../firmware/build/espruinoVm.ts';
import { espruinoRestrictedGlobals, espruinoRestrictedProperties } from '../../firmware/build/espruinoRules.js';

describe('createEspruinoVm: built-ins Espruino lacks are gone inside, untouched outside', () => {
  it('has no Map, Set, WeakMap, Symbol, Proxy, Reflect, BigInt, globalThis', () => {
    const vm = createEspruinoVm();
    for (const name of ['Map', 'Set', 'WeakMap', 'WeakSet', 'Symbol', 'Proxy', 'Reflect', 'BigInt', 'globalThis', 'Intl']) {
      expect(vm.run('typeof ' + name), name).toBe('undefined');
    }
    expect(() => vm.run('new Map()')).toThrow(/Map is not defined/);
    // Node's own realm still has them.
    expect(new Map([['a', 1]]).get('a')).toBe(1);
    expect(typeof Symbol.iterator).toBe('symbol');
  });

  it('removes every global of the lint list', () => {
    const vm = createEspruinoVm();
    for (const g of espruinoRestrictedGlobals) expect(vm.run('typeof ' + g.name), g.name).toBe('undefined');
  });

  it('removes every property of the lint list, from statics and from array/string/typed-array prototypes', () => {
    const vm = createEspruinoVm();
    for (const p of espruinoRestrictedProperties) {
      // Non-configurable in V8, so they stay: the static bundle check is what catches them.
      if ('object' in p && p.object === 'Number' && (p.property === 'EPSILON' || p.property === 'MAX_SAFE_INTEGER')) continue;
      if ('object' in p) expect(vm.run('typeof ' + p.object + '.' + p.property), p.message).toBe('undefined');
      else {
        for (const target of ['[]', '""', 'new Uint8Array(1)']) {
          expect(vm.run('typeof ' + target + '.' + p.property), target + '.' + p.property).toBe('undefined');
        }
      }
    }
    expect(() => vm.run('[1, [2]].flat()')).toThrow(/not a function/);
    // Node's own realm still has them.
    expect(Array.from('ab')).toEqual(['a', 'b']);
    expect([1, 2, 3].at(-1)).toBe(3);
    expect(Math.hypot(3, 4)).toBe(5);
  });

  it('keeps what Espruino has', () => {
    const vm = createEspruinoVm();
    const code = `
      var out = [];
      for (const x of [1, 2]) out.push(x);
      for (const c of 'ab') out.push(c);
      out.push(Object.assign({}, { a: 1 }).a, Object.keys({ b: 1 })[0], Object.entries({ c: 2 })[0][1]);
      out.push(Object.fromEntries([['d', 3]]).d, 'x'.padStart(3, '-'), [1, 2].includes(2), [3, 4].find((v) => v > 3));
      out.push(new DataView(new Uint8Array([1, 2]).buffer).getInt16(0, true), Math.atan2(1, 1) > 0, typeof Promise.all);
      out.push(JSON.stringify({ e: [1] }), btoa('hi'), atob('aGk='), (a => a ?? 5)(null), global === this);
      JSON.stringify(out);`;
    expect(JSON.parse(vm.run(code) as string)).toEqual([1, 2, 'a', 'b', 1, 'b', 2, 3, '--x', true, 4, 513, true, 'function',
      '{"e":[1]}', 'aGk=', 'hi', 5, true]);
  });

  it('rounds halves away from zero like Espruino', () => {
    const vm = createEspruinoVm();
    expect(vm.run('[Math.round(-0.5), Math.round(-1.5), Math.round(0.5), Math.round(2.4), Math.round(-2.6)]')).toEqual([-1, -2, 1, 2, -3]);
    expect(Math.round(-0.5)).toBe(-0);
  });

  it('gives each VM its own realm', () => {
    const a = createEspruinoVm();
    const b = createEspruinoVm();
    a.run('var shared = 1; Array.prototype.mine = 1;');
    expect(b.run('typeof shared + typeof [].mine')).toBe('undefinedundefined');
  });
});

describe('createEspruinoVm: host services', () => {
  it('captures print and console.log, one entry per call', () => {
    const vm = createEspruinoVm();
    vm.run('print("a", 1, { b: [2] }); console.log("c"); print();');
    expect(vm.output).toEqual(['a 1 {"b":[2]}', 'c', '']);
  });

  it('drives getTime() from the virtual clock, and setTime() shifts it', () => {
    let now = 1500;
    const vm = createEspruinoVm({ nowMs: () => now });
    expect(vm.run('getTime()')).toBe(1.5);
    now = 4000;
    expect(vm.run('getTime()')).toBe(4);
    vm.run('setTime(100)');
    expect(vm.run('getTime()')).toBe(100);
    now = 4500;
    expect(vm.run('getTime()')).toBe(100.5);
    expect(createEspruinoVm().run('getTime()')).toBe(0);
  });

  it('adds caller globals for board emulations', () => {
    const pulses: number[] = [];
    const vm = createEspruinoVm({ globals: { digitalPulse: (_pin: unknown, _v: number, ms: number) => pulses.push(ms), LED1: 'D1' } });
    vm.run('digitalPulse(LED1, 1, 50);');
    expect(pulses).toEqual([50]);
  });

  it('names the file in stack traces', () => {
    const vm = createEspruinoVm();
    expect(() => vm.run('\nnull.x', 'clip.js')).toThrow(/Cannot read properties of null/);
    try {
      vm.run('\nnull.x', 'clip.js');
    } catch (e) {
      expect(String((e as Error).stack)).toMatch(/clip\.js:2/);
    }
  });
});
