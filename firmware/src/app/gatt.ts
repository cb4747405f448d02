/**
 * The clip's side of the BLE protocol: control and config writes, the log sync stream, the live
 * stream, the info value and the advertising payload. Frames come from shared/protocol.
 * Espruino drops a notification silently when its queue is full, so the sync is paced by a
 * timer and the bridge detects gaps by seq and asks again; nothing here assumes delivery.
 */
import { decodeConfig } from '../../../shared/config/configRecord.ts';
import { SETTINGS, settingDef } from '../../../shared/config/settings.ts';
import type { SettingDef, Settings } from '../../../shared/config/settings.ts';
import { ACT_UNCALIBRATED, ACT_UNWORN } from '../../../shared/posture/activity.ts';
import { decode, encode, isDecodeError, recordsPerFrame } from '../../../shared/protocol/codec.ts';
import {
  ADV_CLIP_MOVED, ADV_CLOCK_VALID, ADV_LOW_BATTERY, ADV_SLOUCHING, ADV_SNOOZED, ANGLE_UNKNOWN_I16, ANGLE_UNKNOWN_I8,
  INFO_CALIBRATED, INFO_CLIP_MOVED, INFO_CLOCK_VALID, INFO_LOW_BATTERY, INFO_SNOOZED, INFO_WORN,
  LIVE_CLIP_MOVED, LIVE_SLOUCHING, LIVE_SNOOZED, MAX_RECORDS_PER_FRAME, MESSAGES,
} from '../../../shared/protocol/messages.ts';
import type { MessageName, MessageValue } from '../../../shared/protocol/messages.ts';
import { encodeConfig } from '../../../shared/config/configRecord.ts';
import { ack, freePct, nextSeq, oldestSeq, read } from './flashLog.ts';
import { applySettingsToClip, clockValid, monoMs, refreshRate, setClipClock, startCalibration, startSnooze } from './clip.ts';
import type { Clip } from './clip.ts';
import { buzzPattern } from './buzz.ts';

/** Firmware version, reported in `info`. */
export const FIRMWARE_VERSION = [0, 1, 0];

const PUMP_MS = 15;
const MAX_PUMP_MS = 240;
const ADV_EVERY_MS = 60000;
const INFO_EVERY_MS = 5000;
const TICK_MS = 1000;

/** BLE state. */
export interface Gatt {
  c: Clip;
  linked: boolean;
  liveOn: boolean;
  lastLiveMs: number;
  syncing: boolean;
  cursor: number;
  perFrame: number;
  pumpId: number;
  /** Current interval between sync notifications (ms): doubled whenever the bridge reports a loss. */
  pumpMs: number;
  /** Records read but not yet sent (the anchor went first), their first seq, frames sent. */
  pendingN: number;
  pendingSeq: number;
  sent: number;
  /** The pump tick (made once). */
  pumpFn: () => void;
  buf: Uint16Array;
  lastAdvMs: number;
  advKey: number;
  lastInfoMs: number;
  /** Last time tick() did its work. */
  lastTickMs: number;
}

function result(g: Gatt, op: number, code: number, detail: number): void {
  g.c.p.radio.notify('control', encode('result', { op: op, code: code, detail: detail }));
}

function clampI(v: number, lo: number, hi: number): number {
  const r = Math.round(v);
  return r < lo ? lo : r > hi ? hi : r;
}

const batteryPct = (c: Clip): number => clampI(c.p.sys.batteryPct(), 0, 100);

/** Notifies one frame of the sync stream on the log characteristic. */
const sendLog = <N extends MessageName>(g: Gatt, name: N, value: MessageValue<N>): void => g.c.p.radio.notify('log', encode(name, value));

/** The `info` frame for the clip as it is now. */
export function infoFrame(c: Clip): Uint8Array {
  const now = c.p.sys.nowMs();
  const mono = monoMs(c);
  const st = c.st;
  let flags = 0;
  if (clockValid(c)) flags |= INFO_CLOCK_VALID;
  if (st.calibrated) flags |= INFO_CALIBRATED;
  if (st.activity !== ACT_UNWORN) flags |= INFO_WORN;
  if (mono < st.snoozedUntilMs) flags |= INFO_SNOOZED;
  if (st.clipMoved) flags |= INFO_CLIP_MOVED;
  if (c.lowBatteryLogged) flags |= INFO_LOW_BATTERY;
  return encode('info', {
    fwMajor: FIRMWARE_VERSION[0], fwMinor: FIRMWARE_VERSION[1], fwPatch: FIRMWARE_VERSION[2], board: c.p.board,
    clockS: clampI(now / 1000, 0, 4294967295), tzOffsetMin: c.tzMin, bootId: c.bootNo,
    uptimeS: clampI(mono / 1000, 0, 4294967295), flags: flags, oldestSeq: oldestSeq(c.lg), nextSeq: nextSeq(c.lg),
    batteryPct: batteryPct(c), logFreePct: clampI(freePct(c.lg), 0, 100),
  });
}

/** The advertising payload (`adv`). */
export function advFrame(c: Clip): Uint8Array {
  const st = c.st;
  let state = st.activity & 7;
  if (st.slouching) state |= ADV_SLOUCHING;
  if (monoMs(c) < st.snoozedUntilMs) state |= ADV_SNOOZED;
  if (clockValid(c)) state |= ADV_CLOCK_VALID;
  if (c.lowBatteryLogged) state |= ADV_LOW_BATTERY;
  if (st.clipMoved) state |= ADV_CLIP_MOVED;
  const angle = st.activity === ACT_UNCALIBRATED ? ANGLE_UNKNOWN_I8 : clampI(st.angleDeg, -127, 127);
  return encode('adv', { state: state, angleDeg: angle, batteryPct: batteryPct(c), nextSeq: nextSeq(c.lg) });
}

/** Refreshes the readable info value. */
const setInfo = (c: Clip): void => c.p.radio.setValue('info', infoFrame(c));

/** Puts the settings in force into the readable config value. */
const setConfig = (c: Clip): void => c.p.radio.setValue('config', encodeConfig(c.settings));

function liveFrame(c: Clip): Uint8Array {
  const st = c.st;
  const known = st.activity !== ACT_UNCALIBRATED;
  let flags = 0;
  if (st.slouching) flags |= LIVE_SLOUCHING;
  if (monoMs(c) < st.snoozedUntilMs) flags |= LIVE_SNOOZED;
  if (st.clipMoved) flags |= LIVE_CLIP_MOVED;
  const slouchS = st.slouching ? clampI((monoMs(c) - st.slouchSinceMs) / 1000, 0, 65535) : 0;
  return encode('liveState', {
    angleDeci: known ? clampI(st.angleDeg * 10, -32767, 32767) : ANGLE_UNKNOWN_I16,
    lateralDeci: known ? clampI(st.lateralDeg * 10, -32767, 32767) : ANGLE_UNKNOWN_I16,
    activity: st.activity, flags: flags, slouchS: slouchS, alerts: st.alerts & 65535,
  });
}

function clearPump(g: Gatt): void {
  if (g.pumpId >= 0) g.c.p.sys.clearTimer(g.pumpId);
  g.pumpId = -1;
}

function stopSync(g: Gatt): void {
  clearPump(g);
  g.syncing = false;
  g.c.p.radio.setPace(false);
}

function setPump(g: Gatt, ms: number): void {
  g.pumpMs = ms;
  clearPump(g);
  g.pumpId = g.c.p.sys.setInterval(g.pumpFn, ms);
}

function sendRecords(g: Gatt): void {
  const records: number[] = [];
  for (let i = 0; i < g.pendingN; i++) records.push(g.buf[i]);
  sendLog(g, 'logRecords', { firstSeq: g.pendingSeq, count: g.pendingN, records: records });
  g.cursor = g.pendingSeq + g.pendingN;
  g.pendingN = 0;
  g.sent++;
  // Frames are getting through: creep back towards the fastest pace.
  if (g.sent % 16 === 0 && g.pumpMs > PUMP_MS) setPump(g, g.pumpMs - 5);
}

/**
 * Sends the next notification of the sync stream — one per tick, so the queue is never asked
 * for more than the link drains: an anchor where time must be re-established, else records.
 */
export function pump(g: Gatt): void {
  const log = g.c.lg;
  if (!g.linked) {
    stopSync(g);
    return;
  }
  if (g.pendingN > 0) {
    sendRecords(g);
    return;
  }
  const n = read(log, g.cursor, g.perFrame, g.buf);
  if (n === 0) {
    sendLog(g, 'logEnd', { nextSeq: nextSeq(log) });
    stopSync(g);
    return;
  }
  g.pendingN = n;
  g.pendingSeq = log.readSeq;
  if (log.anchorNew) {
    sendLog(g, 'logAnchor', {
      seq: log.readSeq, t0S: log.anchorT0S, bootId: log.anchorBootId, timeFlags: log.anchorTimeFlags, corrS: log.anchorCorrS,
    });
    return;
  }
  sendRecords(g);
}

function startSync(g: Gatt, seq: number, maxRecords: number): void {
  const own = recordsPerFrame(g.c.p.radio.maxPayload + 3);
  g.perFrame = maxRecords < 1 ? 1 : maxRecords > own ? own : maxRecords;
  // Asked again for records already sent: notifications were lost, so the link drains slower than we send.
  if (g.syncing && seq < g.cursor) g.pumpMs = g.pumpMs * 2 > MAX_PUMP_MS ? MAX_PUMP_MS : g.pumpMs * 2;
  g.cursor = seq;
  g.pendingN = 0;
  // A new request (first, or after a gap): the next frame re-establishes time with an anchor.
  g.c.lg.readEnd = -1;
  g.syncing = true;
  g.c.p.radio.setPace(true);
  setPump(g, g.pumpMs);
}

/** The `result.code` for a decode error: badVersion 1, badLength 2 (empty, truncated, too long, count), unknownOp 3. */
const codeFor = (kind: string): number => (kind === 'version' ? 1 : kind === 'unknownId' || kind === 'wrongChannel' ? 3 : 2);

/** Handles a write to the control characteristic. */
export function onControl(g: Gatt, data: Uint8Array): void {
  const c = g.c;
  const m = decode(data, ['control']);
  const op = data.length > 1 ? data[1] : 0;
  if (isDecodeError(m)) {
    result(g, op, codeFor(m.error), 0);
    return;
  }
  const v = m.value as { [k: string]: number };
  if (m.name === 'calibrate') startCalibration(c, 1);
  else if (m.name === 'snooze') {
    if (v.minutes > (settingDef('snoozeMin') as SettingDef).max) {
      result(g, op, 4, 0);
      return;
    }
    startSnooze(c, v.minutes);
  } else if (m.name === 'testBuzz') c.p.motor.play(buzzPattern(v.pattern), c.settings.buzzStrengthPct);
  else if (m.name === 'setClock') {
    setClipClock(c, v.unixS, v.tzOffsetMin);
    setInfo(c);
  } else if (m.name === 'syncFrom') startSync(g, v.seq, v.maxRecords);
  else if (m.name === 'ack') {
    ack(c.lg, v.nextSeq);
    setInfo(c);
  } else if (m.name === 'live') {
    g.liveOn = c.keepFast = v.on !== 0;
    refreshRate(c, monoMs(c));
  }
  result(g, op, 0, 0);
}

/** Handles a write to the config characteristic: validated whole, applied only if all of it is valid. */
export function onConfig(g: Gatt, data: Uint8Array): void {
  const c = g.c;
  const r = decodeConfig(data);
  if (!r.ok) {
    // The stack already stored the written bytes as the value: put the settings in force back.
    setConfig(c);
    const e = r.error as { error: string; index?: number };
    result(g, MESSAGES.config.id, e.error === 'badValue' ? 4 : codeFor(e.error), e.index === undefined ? 0 : e.index);
    return;
  }
  let changed = -1;
  for (let i = 0; i < SETTINGS.length; i++) {
    const k = SETTINGS[i].key as keyof Settings;
    if (r.value[k] !== c.settings[k]) changed = changed < 0 ? i : 2047;
  }
  if (changed >= 0) applySettingsToClip(c, r.value, changed);
  setConfig(c);
  result(g, MESSAGES.config.id, 0, 0);
}

/** After every sample (`now`: the engine's monotonic ms): live notifications, advertising and info refreshes when due. */
export function tick(g: Gatt, now: number): void {
  const c = g.c;
  // Unlinked, only the advertising can change: look about once a second, not at every sample.
  if (!g.linked && now >= g.lastTickMs && now - g.lastTickMs < TICK_MS) return;
  g.lastTickMs = now;
  if (g.linked && g.liveOn && now - g.lastLiveMs >= c.settings.liveIntervalMs) {
    // Keep the configured cadence on average: samples come every 80 ms, not on the interval.
    g.lastLiveMs = now - g.lastLiveMs >= 2 * c.settings.liveIntervalMs ? now : g.lastLiveMs + c.settings.liveIntervalMs;
    c.p.radio.notify('live', liveFrame(c));
  }
  const key = c.st.activity * 2 + (c.st.slouching ? 1 : 0);
  if (key !== g.advKey || now - g.lastAdvMs >= ADV_EVERY_MS || now < g.lastAdvMs) {
    g.advKey = key;
    g.lastAdvMs = now;
    c.p.radio.advertise(advFrame(c));
  }
  if (g.linked && (now - g.lastInfoMs >= INFO_EVERY_MS || now < g.lastInfoMs)) {
    g.lastInfoMs = now;
    setInfo(c);
  }
}

/** Creates the BLE side of a clip. */
export function createGatt(c: Clip): Gatt {
  const g: Gatt = {
    c: c, linked: false, liveOn: false, lastLiveMs: 0, syncing: false, cursor: 0, perFrame: 6,
    pumpId: -1, pumpMs: PUMP_MS, pendingN: 0, pendingSeq: 0, sent: 0, buf: new Uint16Array(MAX_RECORDS_PER_FRAME), lastAdvMs: -1e12, advKey: -1, lastInfoMs: -1e12, lastTickMs: -1e12,
    pumpFn: () => {},
  };
  g.pumpFn = () => {
    pump(g);
  };
  return g;
}

/** Starts the GATT server and hooks the clip's sample and settings callbacks. */
export function startGatt(g: Gatt): void {
  const c = g.c;
  c.p.radio.start((ch: 'control' | 'config', data: Uint8Array) => {
    if (ch === 'control') onControl(g, data);
    else onConfig(g, data);
  }, (connected: boolean) => {
    g.linked = connected;
    if (connected) {
      setInfo(c);
      setConfig(c);
      c.p.radio.setValue('battery', new Uint8Array([batteryPct(c)]));
    } else {
      g.liveOn = c.keepFast = false;
      refreshRate(c, monoMs(c));
      g.pumpMs = PUMP_MS;
      stopSync(g);
    }
  });
  setConfig(c);
  c.onSample = (_c: Clip, now: number) => {
    tick(g, now);
  };
}
