import { describe, expect, it } from 'vitest';
import { createEspruinoBoard } from '../../../bridge/sim/espruino/espruinoBoard.ts';

describe('pins, motor and setWatch', () => {
  it('digitalPulse is hardware-timed, queues after a running pulse, and shows as motor pulses', () => {
    const b = createEspruinoBoard({ board: 'PUCKJS' });
    b.load(`digitalPulse(FET, 1, [200, 100, 300]); digitalPulse(FET, 1, 50); global.returned = getTime();`);
    expect(b.global('returned')).toBe(0);
    expect(b.pins.level(26)).toBe(1);
    b.advance(1000);
    expect(b.motorPulses()).toEqual([
      { atMs: 0, durMs: 200, duty: 1 }, { atMs: 300, durMs: 300, duty: 1 }, { atMs: 600, durMs: 50, duty: 1 },
    ]);
    expect(b.motorOnMs(0, 1000)).toBe(550);
    expect(b.motorOnMs(100, 400)).toBe(200);
  });

  it('analogWrite records the duty; digitalWrite turns it off', () => {
    const b = createEspruinoBoard({ board: 'PUCKJS' });
    b.load(`analogWrite(FET, 0.4, { freq: 200 }); setTimeout(function () { digitalWrite(FET, 0); }, 500);`);
    b.advance(1000);
    expect(b.motorPulses()).toEqual([{ atMs: 0, durMs: 500, duty: 0.4 }]);
    expect(() => b.vm!.run('analogWrite(FET, 2)')).toThrow();
  });

  it('MDBT42Q drives a configurable motor GPIO; Bangle.buzz is recorded the same way and resolves', async () => {
    const m = createEspruinoBoard({ board: 'MDBT42Q', motorPin: 12 });
    m.load(`digitalPulse(D12, 1, 80);`);
    m.advance(100);
    expect(m.motorPulses()).toEqual([{ atMs: 0, durMs: 80, duty: 1 }]);
    const bangle = createEspruinoBoard({ board: 'BANGLEJS2' });
    bangle.load(`global.done = 0; Bangle.buzz(150, 0.5).then(function () { done = getTime(); });`);
    bangle.advance(200);
    await bangle.settle();
    expect(bangle.motorPulses()).toEqual([{ atMs: 0, durMs: 150, duty: 0.5 }]);
    // Promise reactions run at the host's microtask checkpoint (settle), not at the virtual 0.15 s.
    expect(bangle.global('done')).toBeGreaterThanOrEqual(0.15);
  });

  it('a reset stops the motor', () => {
    const b = createEspruinoBoard({ board: 'PUCKJS' });
    b.load(`setTimeout(function () { digitalWrite(FET, 1); }, 0);`);
    b.advance(100);
    b.reset('software');
    expect(b.pins.level(26)).toBe(0);
    expect(b.pins.history.at(-1)).toEqual({ atMs: 100, pin: 26, level: 0, source: 'reset' });
    b.advance(50);
    // The rebooted firmware turns it on again 0.1 ms after boot.
    expect(b.motorOnMs(0, 150)).toBeCloseTo(99.9 + 49.9);
  });

  it('setWatch reports state, time and lastTime in seconds; press() and doublePress() drive the button', () => {
    const b = createEspruinoBoard({ board: 'PUCKJS', startMs: 10_000 });
    b.load(`global.ev = []; setWatch(function (e) { ev.push([e.state, e.time, e.lastTime]); }, BTN, { edge: 'both', repeat: true });`);
    b.advance(1000);
    b.press(300);
    b.doublePress(100, 150);
    expect(b.global('ev')).toEqual([
      [true, 11, 10], [false, 11.3, 11], [true, 11.3, 11.3], [false, 11.4, 11.3], [true, 11.55, 11.4], [false, 11.65, 11.55],
    ]);
  });

  it('without repeat a watch fires once; edge filters; debounce waits for a stable level', () => {
    const b = createEspruinoBoard({ board: 'PUCKJS' });
    b.load(`global.once = 0; global.falls = []; setWatch(function () { once++; }, BTN);
      setWatch(function (e) { falls.push([e.time, e.lastTime]); }, BTN, { edge: 'falling', repeat: true, debounce: 50 });`);
    // A bouncy press: the contacts chatter for 3 ms at each edge.
    const bounce = (level: number) => {
      for (let i = 0; i < 3; i++) {
        b.setInput(0, level);
        b.advance(1);
        b.setInput(0, 1 - level);
        b.advance(1);
      }
      b.setInput(0, level);
    };
    b.advance(1000);
    bounce(1);
    b.advance(200);
    bounce(0);
    b.advance(200);
    expect(b.global('once')).toBe(1);
    expect(b.global('falls')).toEqual([[1.212, 1.006]]);
  });

  it('clearWatch removes watches; an unknown id throws', () => {
    const b = createEspruinoBoard({ board: 'PUCKJS' });
    b.load(`global.n = 0; global.w = setWatch(function () { n++; }, BTN, { repeat: true }); clearWatch(w);`);
    b.press(100);
    expect(b.global('n')).toBe(0);
    expect(() => b.vm!.run('clearWatch(99)')).toThrow(/Unknown Watch/);
  });
});
