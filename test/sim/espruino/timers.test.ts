import { describe, expect, it } from 'vitest';
import { createEspruinoBoard } from '../../../bridge/sim/espruino/espruinoBoard.ts';

const boot = (code: string, startMs = 0) => {
  const b = createEspruinoBoard({ board: 'PUCKJS', startMs });
  b.load(code);
  return b;
};

describe('timers on the virtual clock', () => {
  it('runs timeouts and intervals in time order, only when the clock advances', () => {
    const b = boot(`global.log = [];
      setTimeout(function () { log.push('t' + getTime()); }, 250);
      var iv = setInterval(function () { log.push('i' + getTime()); if (log.length > 3) clearInterval(iv); }, 100);`);
    expect(b.global('log')).toEqual([]);
    b.advance(99);
    expect(b.global('log')).toEqual([]);
    b.advance(1000);
    expect(b.global('log')).toEqual(['i0.1', 'i0.2', 't0.25', 'i0.3']);
  });

  it('returns numeric ids from 1, passes extra arguments, and changeInterval restarts the period from now', () => {
    const b = boot(`global.log = []; global.a = setTimeout(function (x) { log.push(x); }, 10, 'arg');
      global.iv = setInterval(function () { log.push(getTime()); }, 100);`);
    expect(b.global('a')).toBe(1);
    expect(b.global('iv')).toBe(2);
    b.advance(150);
    b.vm!.run('changeInterval(iv, 1000)');
    b.advance(1100);
    expect(b.global('log')).toEqual(['arg', 0.1, 1.15]);
  });

  it('clearTimeout() without an id clears every timer; an unknown id throws', () => {
    const b = boot(`global.n = 0; setInterval(function () { n++; }, 10); setTimeout(function () { n += 100; }, 50);`);
    b.advance(25);
    b.vm!.run('clearTimeout()');
    b.advance(100);
    expect(b.global('n')).toBe(2);
    expect(() => b.vm!.run('clearTimeout(42)')).toThrow(/Unknown Timeout/);
  });

  it('setTime moves the clip clock but not the timers', () => {
    const b = boot(`global.at = []; setTimeout(function () { at.push(getTime()); }, 1000); setTime(1000000);`, 5000);
    b.advance(1000);
    expect(b.global('at')).toEqual([1000001]);
    expect(b.clipMs()).toBe(1000001000);
  });

  it('gives the realm a Date on the clip clock with E.setTimeZone local time', () => {
    const b = boot(`setTime(Date.UTC(2025, 0, 1, 12, 0, 0) / 1000); E.setTimeZone(2);
      global.r = [Date.now(), new Date().getHours(), new Date().getTimezoneOffset()];`);
    expect(b.global('r')).toEqual([Date.UTC(2025, 0, 1, 12), 14, -120]);
  });

  it('records an uncaught exception in a callback and carries on, like Espruino', () => {
    const b = boot(`global.n = 0; setInterval(function () { n++; if (n === 2) null.x; }, 10);`);
    b.advance(45);
    expect(b.global('n')).toBe(4);
    expect(b.errors).toHaveLength(1);
    expect(b.errors[0]).toMatchObject({ atMs: 20, where: 'setInterval 1' });
    expect(b.output.some((l) => l.startsWith('Uncaught'))).toBe(true);
  });

  it('records a top-level exception of the bundle', () => {
    const b = boot(`throw new Error('boom');`);
    expect(b.errors.map((e) => e.message)).toEqual(['boom']);
  });

  it('runUntil stops at the first task after which the predicate holds', () => {
    const b = boot(`global.done = false; setTimeout(function () { done = true; }, 3000);`);
    expect(b.runUntil(() => b.global('done') === true, 10_000)).toBe(true);
    expect(b.nowMs).toBe(3000);
    expect(b.runUntil(() => false, 500)).toBe(false);
    expect(b.nowMs).toBe(3500);
  });

  it('offers require and espruinoRequire; other modules are not found', () => {
    const b = boot(`global.same = require('Storage') === espruinoRequire('Storage');`);
    expect(b.global('same')).toBe(true);
    expect(() => b.vm!.run("require('fs')")).toThrow(/Module fs not found/);
  });

  it('has process.env, the board pins, and only the pins the board has', () => {
    const puck = boot(`global.r = [process.env.BOARD, process.env.VERSION, FET, D26, BTN, typeof LED3];`);
    expect(puck.global('r')).toEqual(['PUCKJS', '2v29', 26, 26, 0, 'number']);
    const mdbt = createEspruinoBoard({ board: 'MDBT42Q' });
    mdbt.load(`global.r = [process.env.BOARD, typeof FET, typeof I2C1, typeof Puck];`);
    expect(mdbt.global('r')).toEqual(['MDBT42Q', 'undefined', 'object', 'undefined']);
  });
});
