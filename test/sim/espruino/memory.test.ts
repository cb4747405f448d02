import { describe, expect, it } from 'vitest';
import { createEspruinoBoard } from '../../../bridge/sim/espruino/espruinoBoard.ts';
import { estimateVariables } from '../../../bridge/sim/espruino/memory.ts';

describe('memory estimate (Espruino 13-byte variables)', () => {
  it('counts an object of 10 short int properties as 11 variables', () => {
    const o: Record<string, number> = {};
    for (let i = 0; i < 10; i++) o['k' + i] = i;
    expect(estimateVariables(o)).toBe(11);
  });

  it('counts a 1000-char string as about 84 variables, long names and floats extra', () => {
    expect(estimateVariables({ s: 'x'.repeat(1000) })).toBe(1 + 1 + 84);
    expect(estimateVariables({ aVeryLongPropertyName: 1.5 })).toBe(1 + 1 + 2 + 1);
  });

  it('counts shared references and cycles once', () => {
    const shared = { a: 1, b: 2 };
    const root: Record<string, unknown> = { x: shared, y: shared };
    root.self = root;
    expect(estimateVariables(root)).toBe(1 + 3 + 3);
  });

  it('breaks the total down by what holds it, global or closure variable, to the requested depth', () => {
    const root = { table: { a: { x: 1.5 }, b: 'a string longer than four' }, n: 2 };
    const byTop = new Map<string, number>();
    const total = estimateVariables(root, { breakdown: byTop });
    expect([...byTop.values()].reduce((a, b) => a + b, 0)).toBe(total);
    expect(byTop.get('table')).toBe(1 + 1 + 1 + 2 + 1 + 3); // object, a, {x}, x = 1.5, b, the string
    const deep = new Map<string, number>();
    estimateVariables(root, { breakdown: deep, breakdownDepth: 2 });
    expect(deep.get('table.a')).toBe(3);
    const b = createEspruinoBoard({ board: 'PUCKJS' });
    b.load('(function () { var state = { samples: new Uint8Array(120) }; setInterval(function () { state.samples[0]++; }, 10); })();');
    const rows = b.memoryBreakdown();
    expect(rows.find(([k]) => k === 'state')?.[1]).toBe(1 + 2 + 1 + 10); // object, long name, view, buffer
    expect(rows.reduce((a, r) => a + r[1], 0)).toBe(b.memory().usage);
  });

  it('counts a function as itself, its parameters, its scope link and its code in flash', () => {
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    const f = function (a: number, b: number) { return 0; };
    expect(estimateVariables({ f }, { closures: false })).toBe(1 + 1 + (1 + 2 + 1 + 2));
    const src = Function.prototype.toString.call(f).length;
    expect(estimateVariables({ f }, { closures: false, codeInFlash: false })).toBe(1 + 1 + (1 + 2 + 1 + 1 + 1 + Math.ceil((src - 4) / 12)));
  });

  it('counts typed arrays by their buffer', () => {
    expect(estimateVariables({ t: new Float32Array(30) })).toBe(1 + 1 + 1 + 10);
  });

  it('process.memory() sees the firmware, including state held in closures and timers', () => {
    const b = createEspruinoBoard({ board: 'PUCKJS' });
    b.load(`(function () {
      var big = new Uint8Array(1200);
      var log = [];
      setInterval(function () { if (log.length < 200) log.push(log.length); big[0]++; }, 10);
    })(); global.mem = function () { return process.memory(); };`);
    const m0 = b.vm!.run('mem()') as { free: number; usage: number; total: number; blocksize: number };
    expect(m0.total).toBe(2630);
    expect(m0.blocksize).toBe(13);
    expect(m0.usage).toBeGreaterThan(100);
    expect(m0.usage).toBeLessThan(200);
    b.advance(3000);
    const m1 = b.memory();
    expect(m1.usage - m0.usage).toBeGreaterThanOrEqual(200);
    expect(m1.free).toBe(2630 - m1.usage);
  });
});
