import { describe, expect, it } from 'vitest';
import { createEspruinoBoard } from '../../../bridge/sim/espruino/espruinoBoard.ts';

describe('energy model', () => {
  it('the accelerometer at 12.5 Hz for an hour averages 350 µA', () => {
    const b = createEspruinoBoard({ board: 'PUCKJS' });
    b.load(`Puck.on('accel', function () {}); Puck.accelOn(12.5); NRF.setAdvertising({}, { connectable: false, interval: 2000 });`);
    b.advance(3_600_000);
    const e = b.energy();
    expect(e.elapsedMs).toBe(3_600_000);
    expect(e.byComponent.accel).toBeCloseTo(350, 6);
    expect(e.byComponent.radio).toBeLessThan(10);
    expect(e.byComponent.base).toBe(3);
  });

  it('adds the motor while it runs and the connection at its interval', () => {
    const b = createEspruinoBoard({ board: 'PUCKJS' });
    b.load(`digitalPulse(FET, 1, 1000); setWatch(function () {}, BTN, { repeat: true }); NRF.setConnectionInterval(200);`);
    b.radio.connect();
    b.advance(10_000);
    const e = b.energy();
    expect(e.byComponent.motor).toBeCloseTo(6000, 6);
    expect(e.byComponent.base).toBe(12);
    expect(e.byComponent.radio).toBeCloseTo(14 + 4395 / 200, 6);
  });

  it('drains the battery when asked', () => {
    const b = createEspruinoBoard({ board: 'PUCKJS', drainBattery: true });
    b.load(`Puck.accelOn(104);`);
    b.advance(24 * 3_600_000);
    expect(b.vm!.run('E.getBattery()')).toBeLessThan(91);
  });
});
