// GPIO: outputs (digitalWrite, digitalPulse, analogWrite, pinMode) recorded as a timeline on the
// virtual clock, inputs driven by the test (buttons), and setWatch. Choices:
// - digitalPulse is hardware-timed: it returns at once and its edges are clock tasks. A pulse on
//   a pin whose previous pulse is still running starts when that one ends (Espruino queues them).
//   Segment i holds `value` when i is even, !value when odd; the pin ends at !value. Negative
//   times throw; a 0 ms pulse (Espruino: wait for the previous pulse) is a no-op.
// - analogWrite records the duty (0..1) as the pin level; `freq` is kept but not simulated.
// - setWatch: edge 'both' by default, repeat false, debounce 0 ms. Without debounce every
//   matching edge calls back at its own time. With debounce the callback runs `debounce` ms after
//   the last edge once the level is stable, only if it differs from the last reported level;
//   `time` is that last edge's time. `lastTime` is the time of the previous (debounced) level
//   change on the pin, whatever the watch's edge; before any change it is the time the watch was
//   set. Times are seconds on the clip clock. Non-repeating watches go after their first call.
// - A reset returns every pin to input, level 0 (the motor stops), and drops watches and pulses.
import type { VirtualClock, ClockTask } from './virtualClock.ts';

/** One level change of a pin. `level` is 0/1, or the duty for analogWrite. */
export interface PinEvent {
  atMs: number;
  pin: number;
  level: number;
  source: 'digitalWrite' | 'digitalPulse' | 'analogWrite' | 'buzz' | 'input' | 'reset';
}

/** A motor pulse: a stretch of constant non-zero level on the motor pin. */
export interface MotorPulse {
  atMs: number;
  durMs: number;
  duty: number;
}

/** What the pins need from the board. */
export interface PinsHost {
  clock: VirtualClock;
  guard(): void;
  raise(message: string): never;
  emit(fn: unknown, thisArg: unknown, args: () => unknown[], where: string): void;
  /** A realm object made of this plain data. */
  realmObject(v: Record<string, unknown>): unknown;
  /** Seconds on the clip clock at virtual time `ms`. */
  clipSecondsAt(ms: number): number;
  powerChanged(): void;
}

interface Watch {
  id: number;
  pin: number;
  fn: unknown;
  edge: 'rising' | 'falling' | 'both';
  repeat: boolean;
  debounceMs: number;
  stable: number;
  lastTimeS: number;
  pending?: ClockTask;
  lastEdgeMs: number;
}

const MODES = ['output', 'input', 'input_pullup', 'input_pulldown', 'opendrain', 'auto', 'analog', 'af_output', 'af_opendrain', 'opendrain_pullup'];

/** Pin state, history and watches; exposed as `board.pins`. */
export class Pins {
  /** Every level change, outputs and inputs, in time order. */
  readonly history: PinEvent[] = [];
  readonly modes = new Map<number, string>();
  private levels = new Map<number, number>();
  private pulseEnd = new Map<number, number>();
  private watches = new Map<number, Watch>();
  private nextWatchId = 1;

  constructor(private host: PinsHost, readonly motorPin: number) {}

  /** Current level (0/1 or PWM duty). */
  level(pin: number): number {
    return this.levels.get(pin) ?? 0;
  }

  /** Number of active watches (energy: watching a button costs ~9 µA on Puck.js). */
  get watchCount(): number {
    return this.watches.size;
  }

  /** The test drives an input (e.g. the button): fires the matching watches. */
  setInput(pin: number, level: number): void {
    const lv = level ? 1 : 0;
    if (this.level(pin) === lv) return;
    this.set(pin, lv, 'input');
    const now = this.host.clock.nowMs;
    for (const w of [...this.watches.values()]) {
      if (w.pin !== pin) continue;
      if (w.debounceMs > 0) {
        w.lastEdgeMs = now;
        if (w.pending) w.pending.cancelled = true;
        w.pending = this.host.clock.schedule(now + w.debounceMs, () => {
          w.pending = undefined;
          const cur = this.level(pin) ? 1 : 0;
          if (cur === w.stable) return;
          w.stable = cur;
          this.fire(w, cur, w.lastEdgeMs);
        });
      } else {
        w.stable = lv;
        this.fire(w, lv, now);
      }
    }
  }

  /** Motor time at a non-zero level within [fromMs, toMs). */
  motorOnMs(fromMs = 0, toMs = this.host.clock.nowMs): number {
    let on = 0;
    for (const p of this.motorPulses()) {
      const a = Math.max(fromMs, p.atMs);
      const b = Math.min(toMs, p.atMs + p.durMs);
      if (b > a) on += b - a;
    }
    return on;
  }

  /** Stretches of constant non-zero level on the motor pin (one still running ends now). */
  motorPulses(): MotorPulse[] {
    const out: MotorPulse[] = [];
    let cur: MotorPulse | undefined;
    const now = this.host.clock.nowMs;
    for (const e of this.history) {
      if (e.pin !== this.motorPin) continue;
      if (cur && e.level === cur.duty) continue;
      if (cur) {
        cur.durMs = e.atMs - cur.atMs;
        if (cur.durMs > 0) out.push(cur);
        cur = undefined;
      }
      if (e.level > 0) cur = { atMs: e.atMs, durMs: 0, duty: e.level };
    }
    if (cur) {
      cur.durMs = now - cur.atMs;
      out.push(cur);
    }
    return out;
  }

  /** Drives the motor pin from the board's own motor (Bangle.buzz). */
  buzz(level: number): void {
    this.set(this.motorPin, level, 'buzz');
  }

  /** A reset: outputs low, watches and queued pulses gone. Inputs keep their level. */
  resetFirmwareState(): void {
    for (const w of this.watches.values()) if (w.pending) w.pending.cancelled = true;
    this.watches.clear();
    this.nextWatchId = 1;
    this.pulseEnd.clear();
    for (const [pin, mode] of this.modes) if (mode !== 'input' && this.level(pin) !== 0) this.set(pin, 0, 'reset');
    if (this.level(this.motorPin) !== 0) this.set(this.motorPin, 0, 'reset');
    this.modes.clear();
  }

  /** The realm globals. */
  readonly globals: Record<string, unknown> = {
    digitalWrite: (pin: unknown, value: unknown) => {
      this.host.guard();
      const p = this.pin(pin);
      this.modes.set(p, 'output');
      this.set(p, value ? 1 : 0, 'digitalWrite');
    },
    digitalPulse: (pin: unknown, value: unknown, time: unknown) => {
      this.host.guard();
      const p = this.pin(pin);
      const times = (Array.isArray(time) ? Array.from(time as unknown[]) : [time]).map(Number);
      for (const t of times) if (!(t >= 0)) this.host.raise('Pulse time given for digitalPulse is less than 0');
      if (times.every((t) => t === 0)) return;
      this.modes.set(p, 'output');
      const v = value ? 1 : 0;
      const now = this.host.clock.nowMs;
      let t = Math.max(now, this.pulseEnd.get(p) ?? now);
      const edges: [number, number][] = [];
      times.forEach((d, i) => {
        edges.push([t, i % 2 === 0 ? v : 1 - v]);
        t += d;
      });
      edges.push([t, 1 - v]);
      this.pulseEnd.set(p, t);
      for (const [at, lv] of edges) {
        if (at <= now) this.set(p, lv, 'digitalPulse');
        else this.host.clock.schedule(at, () => this.set(p, lv, 'digitalPulse'));
      }
    },
    analogWrite: (pin: unknown, value: unknown, opts?: { freq?: number }) => {
      this.host.guard();
      const p = this.pin(pin);
      const duty = Number(value);
      if (!(duty >= 0 && duty <= 1)) this.host.raise('analogWrite: value must be 0..1, got ' + String(value));
      if (opts && opts.freq !== undefined && !(Number(opts.freq) > 0)) this.host.raise('analogWrite: freq must be > 0');
      this.modes.set(p, 'output');
      this.set(p, duty, 'analogWrite');
    },
    pinMode: (pin: unknown, mode: unknown) => {
      this.host.guard();
      const p = this.pin(pin);
      if (!MODES.includes(String(mode))) this.host.raise('Unknown pin mode ' + String(mode));
      this.modes.set(p, String(mode));
    },
    setWatch: (fn: unknown, pin: unknown, opts?: unknown) => {
      this.host.guard();
      if (typeof fn !== 'function' && typeof fn !== 'string') this.host.raise('Function or String not supplied!');
      const p = this.pin(pin);
      let edge: Watch['edge'] = 'both';
      let repeat = false;
      let debounceMs = 0;
      if (typeof opts === 'object' && opts !== null) {
        const o = opts as { edge?: unknown; repeat?: unknown; debounce?: unknown };
        if (o.edge !== undefined) {
          const e = o.edge === 1 ? 'rising' : o.edge === -1 ? 'falling' : o.edge === 0 ? 'both' : String(o.edge);
          if (e !== 'rising' && e !== 'falling' && e !== 'both') this.host.raise("'edge' must be rising, falling or both");
          edge = e;
        }
        repeat = !!o.repeat;
        debounceMs = Math.max(0, Number(o.debounce) || 0);
      } else if (opts !== undefined) repeat = !!opts;
      const id = this.nextWatchId++;
      const now = this.host.clock.nowMs;
      const lv = this.level(p) ? 1 : 0;
      this.watches.set(id, { id, pin: p, fn, edge, repeat, debounceMs, stable: lv, lastTimeS: this.host.clipSecondsAt(now), lastEdgeMs: now });
      this.host.powerChanged();
      return id;
    },
    clearWatch: (id?: unknown) => {
      this.host.guard();
      if (id === undefined) {
        for (const w of this.watches.values()) if (w.pending) w.pending.cancelled = true;
        this.watches.clear();
      } else {
        const w = this.watches.get(Number(id));
        if (!w) this.host.raise('Unknown Watch ' + String(id));
        if (w.pending) w.pending.cancelled = true;
        this.watches.delete(w.id);
      }
      this.host.powerChanged();
    },
  };

  /** Firmware callbacks held by watches (memory roots). */
  roots(): unknown[] {
    return [...this.watches.values()].map((w) => w.fn);
  }

  private fire(w: Watch, level: number, atMs: number): void {
    const timeS = this.host.clipSecondsAt(atMs);
    const lastTimeS = w.lastTimeS;
    w.lastTimeS = timeS;
    const match = w.edge === 'both' || (w.edge === 'rising') === (level === 1);
    if (!match) return;
    if (!w.repeat) {
      this.watches.delete(w.id);
      this.host.powerChanged();
    }
    this.host.emit(w.fn, undefined, () => [this.host.realmObject({ state: level === 1, time: timeS, lastTime: lastTimeS, pin: w.pin })], 'watch ' + w.id);
  }

  private pin(pin: unknown): number {
    const p = Number(pin);
    if (!Number.isInteger(p) || p < 0 || p > 47) this.host.raise('Invalid pin: ' + String(pin));
    return p;
  }

  private set(pin: number, level: number, source: PinEvent['source']): void {
    if (this.levels.get(pin) === level && source !== 'input') return;
    this.levels.set(pin, level);
    this.history.push({ atMs: this.host.clock.nowMs, pin, level, source });
    if (pin === this.motorPin) this.host.powerChanged();
  }
}
