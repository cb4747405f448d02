import { describe, expect, it } from 'vitest';
import { createEspruinoBoard } from '../../../bridge/sim/espruino/espruinoBoard.ts';

const RESETREAS = 'global.why = peek32(0x40000400);';

describe('E, resets and the watchdog', () => {
  it('peek32(RESETREAS) gives the reason of the last reset', () => {
    const b = createEspruinoBoard({ board: 'PUCKJS' });
    b.load(RESETREAS);
    const seen: [string, unknown][] = [['load', b.global('why')]];
    for (const k of ['pin', 'watchdog', 'software', 'powerOn'] as const) {
      b.reset(k);
      seen.push([k, b.global('why')]);
    }
    expect(seen).toEqual([['load', 0], ['pin', 1], ['watchdog', 2], ['software', 4], ['powerOn', 0]]);
  });

  it('resets the board when the watchdog (isAuto false) is not kicked in time', () => {
    const b = createEspruinoBoard({ board: 'PUCKJS' });
    b.load(RESETREAS + `E.enableWatchdog(5, false); global.kicker = setInterval(function () { E.kickWatchdog(); }, 4000);
      global.stop = function () { clearInterval(kicker); };`);
    b.advance(30_000);
    expect(b.resets).toHaveLength(1);
    b.vm!.run('stop()');
    // Last kick at 28 s: the watchdog bites at 33 s.
    b.advance(2999);
    expect(b.resets).toHaveLength(1);
    b.advance(10_000);
    // The rebooted firmware kicks again, so exactly one watchdog reset.
    expect(b.resets.map((r) => [r.kind, r.atMs])).toEqual([['powerOn', 0], ['watchdog', 33_000]]);
    expect(b.global('why')).toBe(2);
  });

  it('an auto watchdog never fires on a virtual clock', () => {
    const b = createEspruinoBoard({ board: 'PUCKJS' });
    b.load(`E.enableWatchdog(1);`);
    b.advance(60_000);
    expect(b.resets).toHaveLength(1);
  });

  it('E.reboot() runs kill handlers, stops the caller and resets (software)', () => {
    const b = createEspruinoBoard({ board: 'PUCKJS' });
    b.load(RESETREAS + `global.after = 0; E.on('kill', function () { print('bye'); });
      global.go = function () { setTimeout(function () { E.reboot(); global.after = 1; }, 10); };`);
    b.vm!.run('go()');
    b.advance(20);
    expect(b.lastResetKind).toBe('software');
    expect(b.global('why')).toBe(4);
    expect(b.global('after')).toBe(0);
    expect(b.output).toContain('bye');
  });

  it('a reset drops timers, keeps Storage, and re-runs the boot code', () => {
    const b = createEspruinoBoard({ board: 'PUCKJS' });
    b.load(`global.n = 0; setInterval(function () { n++; }, 100);`);
    b.advance(1000);
    expect(b.global('n')).toBe(10);
    b.reset('pin');
    expect(b.global('n')).toBe(0);
    b.advance(250);
    expect(b.global('n')).toBe(2);
  });

  it('getBattery, error flags (returned once), errorFlag events, temperature', () => {
    const b = createEspruinoBoard({ board: 'PUCKJS', batteryPct: 80 });
    b.load(`global.ev = []; E.on('errorFlag', function (f) { ev.push(f.join()); });
      global.batt = function () { return [E.getBattery(), NRF.getBattery()]; };`);
    expect(b.vm!.run('batt()')).toEqual([80, 2.8]);
    b.setBattery(15);
    expect(b.vm!.run('batt()')).toEqual([15, 2.15]);
    b.raiseErrorFlag('LOW_MEMORY');
    b.raiseErrorFlag('LOW_MEMORY');
    expect(b.global('ev')).toEqual(['LOW_MEMORY']);
    expect(b.vm!.run('E.getErrorFlags()')).toEqual(['LOW_MEMORY']);
    expect(b.vm!.run('E.getErrorFlags()')).toEqual([]);
    b.setTemperature(31.5);
    expect(b.vm!.run('E.getTemperature()')).toBe(31.5);
  });

  it('the clip clock restarts at startMs on every boot unless keepTimeOnReset', () => {
    const b = createEspruinoBoard({ board: 'PUCKJS', startMs: 1000 });
    b.load(`global.t0 = getTime();`);
    b.advance(5000);
    b.vm!.run('setTime(1e9)');
    b.reset('watchdog');
    expect(b.global('t0')).toBe(1);
    const k = createEspruinoBoard({ board: 'PUCKJS', keepTimeOnReset: true });
    k.load(`global.t0 = getTime();`);
    k.vm!.run('setTime(1e9)');
    k.advance(2000);
    k.reset('watchdog');
    expect(k.global('t0')).toBe(1e9 + 2);
  });
});
