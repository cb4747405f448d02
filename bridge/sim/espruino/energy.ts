// Average current by component, integrated over virtual time. Figures are the ones Espruino
// quotes for Puck.js (espruino.md) unless noted; each component's current is piecewise
// constant and re-read whenever the board's state changes:
// - base: 3 µA asleep, 12 µA while any setWatch is active (Puck.js figures, used for all boards;
//   Bangle.js 2's display and heart-rate hardware are not modelled)
// - accel: Puck.js 1.6 Hz 40 µA, 12.5 Hz 350, 26 Hz 450, 52 Hz 600, 104 Hz 900, off 0;
//   MPU-6050 datasheet: sleep 5 µA, accel only 500 µA, accel + gyro 3.9 mA;
//   Bangle.js 2: a guess of 40 µA at 80 ms polling, scaled with the rate
// - radio: advertising connectable 40 µA and non-connectable 22 µA at 375 ms, scaled by
//   375 / interval (gives < 10 µA at 2 s as quoted); connected 14 + 4395 / interval µA
//   (600 µA at 7.5 ms, 36 µA at 200 ms, the quoted points)
// - motor: 60 mA × duty while the motor pin is driven (coin vibration motor)
// - cpu: only with the operation counter on: 4 mA (100% CPU) for `usPerOp` µs per counted token
//   (default 10 µs, a rough calibration: a 3-axis filter + atan2 ≈ 50 tokens ≈ 0.5 ms on a nRF52)
import type { VirtualClock } from './virtualClock.ts';

/** What {@link EnergyMeter.report} returns. */
export interface EnergyReport {
  /** Average current over the whole run, µA. */
  avgUa: number;
  /** Average current per component over the whole run, µA. */
  byComponent: Record<string, number>;
  elapsedMs: number;
  /** Charge used, mAh. */
  mAh: number;
}

/** Integrates piecewise-constant currents (µA) over the virtual clock. */
export class EnergyMeter {
  private startMs: number;
  private parts = new Map<string, { ua: number; sinceMs: number; uaMs: number }>();
  private extraUaMs = new Map<string, number>();

  constructor(private clock: VirtualClock, private read: () => Record<string, number>) {
    this.startMs = clock.nowMs;
  }

  /** Re-reads every component's current (call on any state change). */
  update(): void {
    const now = this.clock.nowMs;
    const cur = this.read();
    for (const [k, ua] of Object.entries(cur)) {
      const p = this.parts.get(k);
      if (!p) this.parts.set(k, { ua, sinceMs: now, uaMs: 0 });
      else if (p.ua !== ua) {
        p.uaMs += p.ua * (now - p.sinceMs);
        p.ua = ua;
        p.sinceMs = now;
      }
    }
  }

  /** Adds a lump of charge (µA·ms) to a component (CPU work). */
  addCharge(component: string, uaMs: number): void {
    this.extraUaMs.set(component, (this.extraUaMs.get(component) || 0) + uaMs);
  }

  report(): EnergyReport {
    this.update();
    const now = this.clock.nowMs;
    const elapsedMs = now - this.startMs;
    const byComponent: Record<string, number> = {};
    let total = 0;
    const names = new Set([...this.parts.keys(), ...this.extraUaMs.keys()]);
    for (const k of names) {
      const p = this.parts.get(k);
      const uaMs = (p ? p.uaMs + p.ua * (now - p.sinceMs) : 0) + (this.extraUaMs.get(k) || 0);
      total += uaMs;
      byComponent[k] = elapsedMs > 0 ? uaMs / elapsedMs : 0;
    }
    return { avgUa: elapsedMs > 0 ? total / elapsedMs : 0, byComponent, elapsedMs, mAh: total / 1000 / 3_600_000 };
  }
}
