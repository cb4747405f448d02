import { describe, expect, it } from 'vitest';
import { createEspruinoBoard } from '../../../bridge/sim/espruino/espruinoBoard.ts';
import { instrumentForOps } from '../../../bridge/sim/espruino/ops.ts';
import { createEspruinoVm } from '../../../firmware/build/espruinoVm.ts';

const run = (code: string): number => {
  const vm = createEspruinoVm();
  vm.run('var __napeOps = 0;');
  vm.run(instrumentForOps(code));
  return vm.run('__napeOps') as number;
};

describe('operation counter', () => {
  it('charges each executed statement its own tokens', () => {
    expect(run('var a = 1;')).toBe(5);
    expect(run('var a = 1; if (a) a = 2; else a = 3;')).toBe(5 + 5 + 4);
    // The body runs 3 times (5 tokens each) and the test+update (i < 3, i++: 5 tokens) 3 times.
    expect(run('for (var i = 0; i < 3; i++) { var x = i; }')).toBe(run('for (var i = 0; i < 0; i++) { }') + 3 * 5 + 3 * 5);
  });

  it('charges function bodies per call, arrow expression bodies too, and keeps semantics', () => {
    const code = 'function f(x) { return x * 2; } var g = (y) => y + 1; var r = 0; r = f(1) + g(2) + g(3);';
    const once = run(code);
    const twice = run(code + ' r = g(4);');
    expect(twice - once).toBe(7 + 3);
    const vm = createEspruinoVm();
    vm.run('var __napeOps = 0;');
    vm.run(instrumentForOps(code + ' if (r) r++; else r--; switch (r) { case 10: r = 60; break; default: r = 0; }'));
    expect(vm.run('r')).toBe(60);
  });

  it('keeps a bare block a list of statements, so its block-scoped names stay in reach', () => {
    const vm = createEspruinoVm();
    vm.run('var __napeOps = 0;');
    vm.run(instrumentForOps('var out; { let a = 2; out = a * 3; }'));
    expect(vm.run('out')).toBe(6);
    expect(vm.run('__napeOps')).toBe(run('var out;') + 2 + 5 + 6); // the braces, then each statement
  });

  it('keeps arrow functions with a parenthesised object body working', () => {
    const vm = createEspruinoVm();
    const code = instrumentForOps('var make = () => ({a: 1, b: [2]}); var got = make(); var n = (x) => (x + 1) * 2;');
    vm.context.__napeOps = 0;
    vm.run(code);
    expect(JSON.stringify(vm.context.got)).toBe('{"a":1,"b":[2]}');
    expect((vm.context.n as (x: number) => number)(3)).toBe(8);
    expect(vm.context.__napeOps).toBeGreaterThan(0);
  });

  it('counts the firmware per sample on the board, comparable with a bare filter loop', () => {
    const b = createEspruinoBoard({ board: 'PUCKJS', countOps: true });
    b.load(`var f = new Float32Array(3);
      Puck.on('accel', function (a) {
        f[0] += (a.acc.x - f[0]) * 0.1; f[1] += (a.acc.y - f[1]) * 0.1; f[2] += (a.acc.z - f[2]) * 0.1;
        global.angle = Math.atan2(f[1], f[2]);
      });
      Puck.accelOn(12.5);`);
    const perSecond = b.countOps(() => b.advance(1000));
    expect(perSecond / 12).toBeGreaterThan(50);
    expect(perSecond / 12).toBeLessThan(150);
    expect(b.energy().byComponent.cpu).toBeGreaterThan(0);
  });
});
