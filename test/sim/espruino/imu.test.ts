import { describe, expect, it } from 'vitest';
import { createEspruinoBoard } from '../../../bridge/sim/espruino/espruinoBoard.ts';

describe('accelerometers', () => {
  it('Puck.accelOn accepts only the documented rates', () => {
    const b = createEspruinoBoard({ board: 'PUCKJS' });
    b.load('');
    for (const hz of [1.6, 12.5, 26, 52, 104]) expect(() => b.vm!.run(`Puck.accelOn(${hz})`)).not.toThrow();
    for (const hz of [10, 13, 208, 0]) expect(() => b.vm!.run(`Puck.accelOn(${hz})`)).toThrow(/Invalid sample rate/);
  });

  it('Puck accel events carry raw integer counts at the configured rate, from the AccelSource', () => {
    const b = createEspruinoBoard({ board: 'PUCKJS', accel: (t) => ({ x: 0.5, y: -0.25, z: t / 1000, gx: 10, gy: 0, gz: -1 }) });
    b.load(`global.s = []; Puck.on('accel', function (a) { s.push([getTime(), a.acc.x, a.acc.y, a.acc.z, a.gyro.x, a.gyro.z]); }); Puck.accelOn();`);
    b.advance(200);
    expect(b.global('s')).toEqual([[0.08, 4096, -2048, 655, 1340, -134], [0.16, 4096, -2048, 1311, 1340, -134]]);
    b.vm!.run('Puck.accelOn(1.6)');
    b.advance(700);
    expect((b.global('s') as number[][]).slice(-1)[0]).toEqual([0.825, 4096, -2048, 6758, 0, 0]);
    b.vm!.run('Puck.accelOff()');
    const n = (b.global('s') as unknown[]).length;
    b.advance(5000);
    expect((b.global('s') as unknown[]).length).toBe(n);
  });

  it('Puck accelWr/accelRd keep registers; WHO_AM_I reads 0x6A', () => {
    const b = createEspruinoBoard({ board: 'PUCKJS' });
    b.load(`Puck.accelWr(0x58, 0x80); global.r = [Puck.accelRd(0x58), Puck.accelRd(0x0F)];`);
    expect(b.global('r')).toEqual([0x80, 0x6a]);
  });

  it('MPU-6050 over I2C: WHO_AM_I, sleep bit at power-on, 14 big-endian data bytes at 16384 LSB/g', () => {
    const b = createEspruinoBoard({ board: 'MDBT42Q', accel: () => ({ x: 0.5, y: -1, z: 0.25, gx: 1 }) });
    b.load(`I2C1.setup({ scl: D14, sda: D15 });
      function rd(reg, n) { I2C1.writeTo(0x68, reg); return [].slice.call(I2C1.readFrom(0x68, n)); }
      global.who = rd(0x75, 1)[0]; global.pwr = rd(0x6B, 1)[0]; global.asleep = rd(0x3B, 6);
      I2C1.writeTo(0x68, [0x6B, 0x00]); global.awake = rd(0x3B, 14);
      I2C1.writeTo(0x68, [0x1C, 0x08]); global.fs4g = rd(0x3B, 2);`);
    expect(b.errors).toEqual([]);
    expect(b.global('who')).toBe(0x68);
    expect(b.global('pwr')).toBe(0x40);
    expect(b.global('asleep')).toEqual([0, 0, 0, 0, 0, 0]);
    const bytes = b.global('awake') as number[];
    const dv = new DataView(Uint8Array.from(bytes).buffer);
    expect([0, 2, 4, 8].map((o) => dv.getInt16(o, false))).toEqual([8192, -16384, 4096, 131]);
    expect(dv.getInt16(6, false)).toBe(-3920);
    expect(new DataView(Uint8Array.from(b.global('fs4g') as number[]).buffer).getInt16(0, false)).toBe(4096);
  });

  it('MPU-6050 cycle mode: one sample per LP_WAKE period, held between wakes, at the datasheet current', () => {
    const b = createEspruinoBoard({ board: 'MDBT42Q', accel: (t) => ({ x: t / 10000, y: 0, z: 1 }) });
    b.load(`I2C1.setup({ scl: D14, sda: D15 });
      function x() { I2C1.writeTo(0x68, 0x3B); var d = I2C1.readFrom(0x68, 2); return (d[0] << 8) | d[1]; }
      I2C1.writeTo(0x68, [0x6C, 0x07]); I2C1.writeTo(0x68, [0x6B, 0x28]);
      global.xs = []; setInterval(function () { xs.push(x()); }, 100);`);
    b.advance(1650);
    // 1.25 Hz wakes: samples at 0, 800, 1600 ms, each held until the next wake.
    const xs = b.global('xs') as number[];
    expect(new Set(xs).size).toBe(3);
    expect(xs[xs.length - 1]).toBe(Math.round((1600 / 10000) * 16384));
    const at = (regs: string, ms: number): number => {
      b.vm!.run(regs);
      const before = b.energy();
      b.advance(ms);
      const after = b.energy();
      return (after.byComponent.accel * after.elapsedMs - before.byComponent.accel * before.elapsedMs) / ms;
    };
    expect(at('I2C1.writeTo(0x68, [0x6C, 0x07])', 10_000)).toBeCloseTo(10, 5);
    expect(at('I2C1.writeTo(0x68, [0x6C, 0x87])', 10_000)).toBeCloseTo(70, 5);
    expect(at('I2C1.writeTo(0x68, [0x6B, 0x00])', 10_000)).toBeCloseTo(500, 5);
  });

  it('I2C: other addresses NACK; using it before setup throws', () => {
    const b = createEspruinoBoard({ board: 'MDBT42Q' });
    b.load('');
    expect(() => b.vm!.run('I2C1.writeTo(0x68, 0x75)')).toThrow(/not set up/);
    b.vm!.run('I2C1.setup({ scl: D14, sda: D15 })');
    expect(() => b.vm!.run('I2C1.writeTo(0x69, 0x75)')).toThrow(/I2C got NACK/);
    expect(() => b.vm!.run('I2C1.readFrom(0x1D, 1)')).toThrow(/I2C got NACK/);
  });

  it('MPU-6050 keeps its registers across a soft reset, loses them on power-on', () => {
    const b = createEspruinoBoard({ board: 'MDBT42Q' });
    b.load(`I2C1.setup({ scl: D14, sda: D15 }); I2C1.writeTo(0x68, 0x6B); global.pwr = I2C1.readFrom(0x68, 1)[0]; if (pwr) I2C1.writeTo(0x68, [0x6B, 0]);`);
    expect(b.global('pwr')).toBe(0x40);
    b.reset('software');
    expect(b.global('pwr')).toBe(0);
    b.reset('powerOn');
    expect(b.global('pwr')).toBe(0x40);
  });

  it('Bangle.js 2 accel events in g every poll interval, with diff and mag; setAccel swaps the source', () => {
    const b = createEspruinoBoard({ board: 'BANGLEJS2', accel: () => ({ x: 0, y: 0, z: -1 }) });
    b.load(`global.s = []; Bangle.on('accel', function (a) { s.push([getTime(), a.x, a.y, a.z, a.diff, a.mag]); });`);
    b.advance(160);
    b.setAccel(() => ({ x: 0, y: 0.6, z: -0.8 }));
    b.vm!.run('Bangle.setPollInterval(40)');
    b.advance(40);
    const s = b.global('s') as number[][];
    expect(s.slice(0, 2)).toEqual([[0.08, 0, 0, -1, 0, 1], [0.16, 0, 0, -1, 0, 1]]);
    expect(s[2][0]).toBe(0.2);
    expect(s[2][5]).toBeCloseTo(1, 3);
    expect(s[2][4]).toBeCloseTo(Math.sqrt(0.36 + 0.04), 3);
    expect(() => b.vm!.run('Bangle.setPollInterval(5)')).toThrow(/Invalid interval/);
  });
});
