/**
 * The clip: wires the posture engine, the minute log and the GATT server to the board's ports.
 * It decides nothing about posture itself (shared/posture does) and touches no Espruino global
 * (the ports do). The per-sample path allocates nothing unless something happens.
 */
import { defaultSettings } from '../../../shared/config/settings.ts';
import type { Settings } from '../../../shared/config/settings.ts';
import { decodeConfig, encodeConfig } from '../../../shared/config/configRecord.ts';
import { ACT_LYING, ACT_MOVING, ACT_STILL, ACT_WALKING } from '../../../shared/posture/activity.ts';
import { calibrate, configure, createPosture, restoreCalibration, setClock, snooze, stepPosture } from '../../../shared/posture/engine.ts';
import type { PostureEffect, PostureState } from '../../../shared/posture/engine.ts';
import { createMinute, stepMinute } from '../../../shared/posture/minute.ts';
import { WORN_HZ, nextRate } from '../../../shared/posture/rate.ts';
import type { MinuteState, MinuteSummary } from '../../../shared/posture/minute.ts';
import { packEvent, packMinute } from '../../../shared/protocol/records.ts';
import type { EventName } from '../../../shared/protocol/records.ts';
import { append, clockChanged, createLog, openLog } from './flashLog.ts';
import type { LogState } from './flashLog.ts';
import { buttonEdge, createButton, PRESS_DOUBLE, PRESS_LONG } from './button.ts';
import type { ButtonState } from './button.ts';
import { buzzPattern } from './buzz.ts';
import type { Ports } from './ports.ts';

/** How often the minute summary is stepped (ms). */
const MINUTE_STEP_MS = 1000;
/** Storage files besides the log. */
export const SETTINGS_FILE = 'nape.cfg';
export const CALIBRATION_FILE = 'nape.cal';
export const BOOT_FILE = 'nape.boot';
/** Clip clock values below this (2020-09-13) mean the clock was never set. */
export const CLOCK_VALID_MS = 1.6e12;

/** Everything the clip keeps in RAM. */
export interface Clip {
  p: Ports;
  settings: Settings;
  st: PostureState;
  mn: MinuteState;
  lg: LogState;
  btn: ButtonState;
  bootNo: number;
  hz: number;
  /**
   * Wall clock minus the engine's clock (ms). The posture engine and the minute summariser run on
   * a monotonic clock that never jumps when the bridge sets the time (a jump would end snoozes,
   * fire alerts or insert false gaps); wall time is added only where records are stamped.
   */
  offMs: number;
  /** Local time offset the bridge set, minutes. */
  tzMin: number;
  /** Start (engine ms) of the minute after the last logged one; -1 before the first. */
  nextMinuteMs: number;
  /** When the minute summary is next stepped (engine ms). */
  minuteDueMs: number;
  /** Someone watches the live stream: sample at WORN_HZ even when calm. */
  keepFast: boolean;
  /** Where a calibration came from: 0 button, 1 BLE, 2 automatic. */
  calSource: number;
  lowBatteryLogged: boolean;
  /** Called after each sample with the clip and the engine's time (the GATT layer hooks live state and advertising here). */
  onSample: ((c: Clip, now: number) => void) | null;
  /** Called after settings change. */
  onSettings: ((c: Clip) => void) | null;
  /** The accelerometer callback (made once, so changing the rate allocates nothing new). */
  onImu: (x: number, y: number, z: number) => void;
}

/** The engine's monotonic clock, ms. */
export const monoMs = (c: Clip): number => c.p.sys.nowMs() - c.offMs;

/** True when the clip clock has been set. */
export const clockValid = (c: Clip): boolean => c.p.sys.nowMs() > CLOCK_VALID_MS;

function readSettings(c: Clip): Settings {
  const bytes = c.p.storage.read(SETTINGS_FILE);
  if (bytes) {
    const r = decodeConfig(bytes);
    if (r.ok) return r.value;
  }
  return defaultSettings();
}

/** Appends an event record at the current clip time. */
export function logEvent(c: Clip, name: EventName, arg: number): void {
  append(c.lg, packEvent(name, arg), Math.floor(c.p.sys.nowMs() / 1000));
}

function play(c: Clip, name: string): void {
  c.p.motor.play(buzzPattern(name), c.settings.buzzStrengthPct);
}

function saveCalibration(c: Clip): void {
  const b = new Uint8Array(12);
  const v = new DataView(b.buffer);
  v.setFloat32(0, c.st.cx, true);
  v.setFloat32(4, c.st.cy, true);
  v.setFloat32(8, c.st.cz, true);
  c.p.storage.write(CALIBRATION_FILE, b, 0);
}

/** Carries out the posture engine's effects: buzzes, log events, saving a new calibration. */
export function applyEffects(c: Clip, fx: readonly PostureEffect[]): void {
  for (let i = 0; i < fx.length; i++) {
    const e = fx[i];
    if (e.kind === 'buzz') {
      play(c, e.name);
      continue;
    }
    // Alerts are counted in the minute record (bits 13–14): an event each would cost the log
    // ~50 B an hour for a wearer who slouches often, a third of a Puck's days of log.
    if (e.name === 'alert') continue;
    if (e.name === 'calibrated') {
      logEvent(c, 'calibrated', c.calSource);
      saveCalibration(c);
    } else logEvent(c, e.name as EventName, e.value);
  }
}

/** Restarts the accelerometer at `hz` (callers check it differs: this is reached from the hot path). */
function setRate(c: Clip, hz: number): void {
  c.hz = hz;
  c.p.imu.stop();
  c.p.imu.start(hz, c.onImu);
}

/** Restarts the accelerometer when the rate the clip needs has changed (shared/posture/rate.ts). */
export function refreshRate(c: Clip, now: number): void {
  const want = nextRate(c.st, now, c.keepFast, c.hz, c.p.imu.lowPowerHz);
  if (want !== c.hz) setRate(c, want);
}

/** Logs a finished worn minute, after `gap` events for the minutes not worn before it. */
function logMinute(c: Clip, m: MinuteSummary): void {
  const startS = Math.floor((m.startMs + c.offMs) / 1000);
  if (c.nextMinuteMs >= 0 && m.startMs > c.nextMinuteMs) {
    let gap = Math.round((m.startMs - c.nextMinuteMs) / 60000);
    while (gap > 0) {
      const g = gap > 2047 ? 2047 : gap;
      append(c.lg, packEvent('gap', g), Math.floor((c.nextMinuteMs + c.offMs) / 1000));
      gap -= g;
    }
  }
  let act = ACT_STILL;
  let most = m.stillS;
  if (m.movingS > most) { act = ACT_MOVING; most = m.movingS; }
  if (m.walkingS > most) { act = ACT_WALKING; most = m.walkingS; }
  if (m.lyingS > most) act = ACT_LYING;
  append(c.lg, packMinute(act, m.slouchS, m.meanAngleDeg, m.maxAngleDeg, m.alerts), startS);
  c.nextMinuteMs = m.startMs + 60000;
}

/** One accelerometer sample: the hot path. */
export function sample(c: Clip, x: number, y: number, z: number): void {
  const now = monoMs(c);
  const fx = stepPosture(c.st, x, y, z, now);
  if (fx.length) applyEffects(c, fx);
  // The minute summary needs a step about once a second, not every sample (the clock is monotonic).
  if (now >= c.minuteDueMs) {
    c.minuteDueMs = now + MINUTE_STEP_MS;
    const m = stepMinute(c.mn, c.st, now);
    if (m && m.worn) logMinute(c, m);
  }
  // refreshRate's two lines, inline: one call less per sample is 0.1 day of a Puck's CR2032.
  const want = nextRate(c.st, now, c.keepFast, c.hz, c.p.imu.lowPowerHz);
  if (want !== c.hz) setRate(c, want);
  if (c.onSample) c.onSample(c, now);
}

/** Starts a calibration (0 button, 1 BLE). */
export function startCalibration(c: Clip, source: number): void {
  c.calSource = source;
  applyEffects(c, calibrate(c.st, monoMs(c)));
}

/** Snoozes for `minutes` (0 cancels). */
export function startSnooze(c: Clip, minutes: number): void {
  applyEffects(c, snooze(c.st, monoMs(c), minutes));
}

/** Replaces the settings (already validated), saves them and logs the change. */
export function applySettingsToClip(c: Clip, s: Settings, changedIndex: number): void {
  c.settings = s;
  configure(c.st, s);
  c.p.storage.write(SETTINGS_FILE, encodeConfig(s), 0);
  logEvent(c, 'configChanged', changedIndex);
  if (c.onSettings) c.onSettings(c);
}

/**
 * Sets the clip clock. The engine's clock does not move (offMs absorbs the jump); a jump of
 * more than 2 s starts a new log block so records keep their true times.
 */
export function setClipClock(c: Clip, unixS: number, tzOffsetMin: number): void {
  const oldMs = c.p.sys.nowMs();
  c.p.sys.setClock(unixS, tzOffsetMin);
  const newMs = c.p.sys.nowMs();
  c.offMs += newMs - oldMs;
  c.tzMin = tzOffsetMin;
  // Quiet hours read local time from the engine's clock: fold the wall offset into the zone.
  setClock(c.st, tzOffsetMin + c.offMs / 60000, true);
  if (Math.abs(newMs - oldMs) > 2000) {
    clockChanged(c.lg, oldMs / 1000, newMs / 1000);
    logEvent(c, 'clockSet', 0);
  }
}

/** Checks the battery; logs and buzzes once per boot when it falls below the setting. */
export function checkBattery(c: Clip): void {
  const pct = c.p.sys.batteryPct();
  if (!c.lowBatteryLogged && pct < c.settings.lowBatteryPct) {
    c.lowBatteryLogged = true;
    logEvent(c, 'lowBattery', pct);
    play(c, 'lowBattery');
  }
}

/** Builds the clip from its ports: reads settings, calibration and the log; does not start anything. */
export function createClip(p: Ports): Clip {
  const c: Clip = {
    p: p, settings: defaultSettings(), st: createPosture(defaultSettings()), mn: createMinute(),
    lg: createLog(p.storage, p.ring), btn: createButton(), bootNo: 0, hz: 0,
    offMs: 0, tzMin: 0, nextMinuteMs: -1, minuteDueMs: -1, keepFast: false, calSource: 0, lowBatteryLogged: false, onSample: null, onSettings: null, onImu: () => {},
  };
  c.onImu = (x: number, y: number, z: number) => {
    sample(c, x, y, z);
  };
  c.settings = readSettings(c);
  configure(c.st, c.settings);
  const cal = p.storage.read(CALIBRATION_FILE);
  if (cal && cal.length >= 12) {
    const v = new DataView(cal.buffer, cal.byteOffset, 12);
    restoreCalibration(c.st, v.getFloat32(0, true), v.getFloat32(4, true), v.getFloat32(8, true));
  }
  const boot = p.storage.read(BOOT_FILE);
  c.bootNo = boot && boot.length >= 2 ? ((boot[0] | (boot[1] << 8)) + 1) & 0xffff : 0;
  p.storage.write(BOOT_FILE, new Uint8Array([c.bootNo & 255, c.bootNo >> 8]), 0);
  return c;
}

/** Starts the clip: opens the log (logging the boot), the button, the accelerometer and the battery check. */
export function startClip(c: Clip): void {
  const valid = clockValid(c);
  setClock(c.st, 0, valid);
  openLog(c.lg, c.bootNo, Math.floor(c.p.sys.nowMs() / 1000), valid);
  logEvent(c, 'boot', c.p.sys.resetReason());
  c.p.sys.onErrorFlags((flags: string[]) => {
    let bits = 0;
    const known = ['LOW_MEMORY', 'MEMORY', 'BUFFER_FULL', 'CALLBACK', 'FIFO_FULL', 'MEMORY_BUSY', 'UART_OVERFLOW'];
    for (let i = 0; i < flags.length; i++) bits |= 1 << (known.indexOf(flags[i]) + 1);
    logEvent(c, 'error', bits & 2047);
  });
  c.p.button.watch((down: boolean, tMs: number) => {
    const g = buttonEdge(c.btn, down, tMs);
    if (g === PRESS_LONG) startCalibration(c, 0);
    else if (g === PRESS_DOUBLE) startSnooze(c, c.settings.snoozeMin);
  });
  setRate(c, WORN_HZ);
  checkBattery(c);
  c.p.sys.setInterval(() => {
    checkBattery(c);
  }, 600000);
}
