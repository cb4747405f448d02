/**
 * Log records: one 16-bit word each, so 14 days × 10 h of wear (8,400 minutes) fit the ~24 KB
 * of Storage a Puck.js v2 has beside the firmware. Every record has a monotonic seq.
 *
 * Minute summary (bit 15 = 0), one per worn minute:
 *   bits 0–1   activity that took most of the minute: 0 still, 1 moving, 2 walking, 3 lying
 *   bits 2–4   time slouched, in sevenths of the minute (0 … 7 = 60 s)
 *   bits 5–9   mean forward angle: code × 3 − 15 degrees (−15 … 75); 31 = unknown (uncalibrated)
 *   bits 10–12 max forward angle above the mean, in 5° steps (0 … 35)
 *   bits 13–14 alerts in the minute, saturating at 3
 * Event (bit 15 = 1): bits 11–14 type (EVENTS), bits 0–10 argument (0 … 2047).
 *
 * Time is not stored per record. A `logAnchor` frame gives the clip time of the next record;
 * each minute record then advances the time by 60 s, events happen at the current time, and
 * a `gap` event advances it by its argument in minutes (time not worn, nothing logged).
 */
import { ACT_LYING, ACT_MOVING, ACT_STILL, ACT_WALKING } from '../posture/activity.ts';
import { TIME_CLOCK_VALID, TIME_CORR_KNOWN } from './messages.ts';

/** Event types, by their 4-bit code. Append only. */
export const EVENTS = [
  'alert', 'calibrated', 'calibrationFailed', 'snoozed', 'clockSet', 'boot', 'lowBattery', 'clipMoved',
  'gap', 'logOverflow', 'error', 'configChanged',
] as const;
/** An event name. */
export type EventName = (typeof EVENTS)[number];

/**
 * For `alert` events: bit 10 of the argument says the buzz was silenced (tracking, snooze, quiet).
 * The clip does not log alert events (each minute record counts its alerts); the code stays
 * reserved for sources that log each alert with its angle.
 */
export const ALERT_SILENT = 1024;

/** Reset reasons carried by `boot` events. */
export const RESET_REASONS = ['powerOn', 'watchdog', 'software', 'pin', 'lockup', 'unknown'] as const;

/** Activities a minute record can name (bits 0–1), in code order. */
export const MINUTE_ACTIVITIES = [ACT_STILL, ACT_MOVING, ACT_WALKING, ACT_LYING];

/** Angle code meaning "unknown". */
export const ANGLE_CODE_UNKNOWN = 31;

/** A minute summary as the wire carries it (already quantised). */
export interface MinuteRecord {
  /** Posture activity number (activity.ts): still, moving, walking or lying. */
  activity: number;
  /** Seconds slouched, rounded to a seventh of a minute. */
  slouchS: number;
  /** Mean forward angle in degrees, NaN when unknown. */
  meanAngleDeg: number;
  /** Max forward angle in degrees, NaN when unknown. */
  maxAngleDeg: number;
  alerts: number;
}

function clampInt(v: number, lo: number, hi: number): number {
  const r = Math.floor(v + 0.5);
  return r < lo ? lo : r > hi ? hi : r;
}

/**
 * Packs a minute. `activity` is a posture activity number (others count as still);
 * angles NaN when uncalibrated.
 */
export function packMinute(activity: number, slouchS: number, meanAngleDeg: number, maxAngleDeg: number, alerts: number): number {
  let a = MINUTE_ACTIVITIES.indexOf(activity);
  if (a < 0) a = 0;
  const q = clampInt((slouchS * 7) / 60, 0, 7);
  let angle = ANGLE_CODE_UNKNOWN;
  let above = 0;
  if (meanAngleDeg === meanAngleDeg) {
    angle = clampInt((meanAngleDeg + 15) / 3, 0, 30);
    if (maxAngleDeg === maxAngleDeg) above = clampInt((maxAngleDeg - (angle * 3 - 15)) / 5, 0, 7);
  }
  return a | (q << 2) | (angle << 5) | (above << 10) | ((alerts > 3 ? 3 : alerts) << 13);
}

/** Packs an event. */
export function packEvent(name: EventName, arg: number): number {
  return 0x8000 | (EVENTS.indexOf(name) << 11) | clampInt(arg, 0, 2047);
}

/** True for an event word. */
export function isEvent(word: number): boolean {
  return (word & 0x8000) !== 0;
}

/** Unpacks a minute word. */
export function unpackMinute(word: number): MinuteRecord {
  const code = (word >> 5) & 31;
  const mean = code === ANGLE_CODE_UNKNOWN ? NaN : code * 3 - 15;
  return {
    activity: MINUTE_ACTIVITIES[word & 3],
    slouchS: Math.round((((word >> 2) & 7) * 60) / 7),
    meanAngleDeg: mean,
    maxAngleDeg: mean + ((word >> 10) & 7) * 5,
    alerts: (word >> 13) & 3,
  };
}

/** An event's name ('unknown' for codes this version does not know) and argument. */
export function unpackEvent(word: number): { name: EventName | 'unknown'; arg: number } {
  const t = (word >> 11) & 15;
  return { name: t < EVENTS.length ? EVENTS[t] : 'unknown', arg: word & 2047 };
}

/** A decoded record with its place in time. */
export interface TimedRecord {
  seq: number;
  /** Unix seconds of the minute's start (or the event); clip time if `timeKnown` is false. */
  tS: number;
  /** False when the clip's clock was unset and no correction is known yet. */
  timeKnown: boolean;
  bootId: number;
  word: number;
}

/** The running state of a log stream: where the next record sits in time. */
export interface Timeline {
  nextSeq: number;
  tS: number;
  bootId: number;
  timeKnown: boolean;
  /** False until an anchor has been seen: records cannot be placed in time before one. */
  anchored: boolean;
}

/** A timeline with no anchor yet. */
export function createTimeline(): Timeline {
  return { nextSeq: 0, tS: 0, bootId: 0, timeKnown: false, anchored: false };
}

/** Applies a `logAnchor`: the clock-corrected time of record `seq`. */
export function anchorTimeline(tl: Timeline, seq: number, t0S: number, bootId: number, timeFlags: number, corrS: number): void {
  tl.nextSeq = seq;
  tl.bootId = bootId;
  if (timeFlags & TIME_CLOCK_VALID) {
    tl.tS = t0S;
    tl.timeKnown = true;
  } else if (timeFlags & TIME_CORR_KNOWN) {
    tl.tS = t0S + corrS;
    tl.timeKnown = true;
  } else {
    tl.tS = t0S;
    tl.timeKnown = false;
  }
  tl.anchored = true;
}

/**
 * Places one record (which must carry `tl.nextSeq`) in time and advances the timeline.
 * Returns null when the timeline has no anchor or the seq does not follow on.
 */
export function advanceTimeline(tl: Timeline, seq: number, word: number): TimedRecord | null {
  if (!tl.anchored || seq !== tl.nextSeq) return null;
  const rec: TimedRecord = { seq: seq, tS: tl.tS, timeKnown: tl.timeKnown, bootId: tl.bootId, word: word };
  tl.nextSeq = seq + 1;
  if (!isEvent(word)) tl.tS += 60;
  else if (((word >> 11) & 15) === EVENTS.indexOf('gap')) tl.tS += (word & 2047) * 60;
  return rec;
}
