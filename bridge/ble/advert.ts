/**
 * What a clip's advertisement says: the `adv` message (shared/protocol) in Espruino's
 * manufacturer data. Adverts from other devices, or with data that does not decode, give
 * undefined: the bridge ignores them (a count is kept by callers).
 */
import { ACTIVITIES } from '../../shared/posture/activity.ts';
import type { ActivityName } from '../../shared/posture/activity.ts';
import { decode, isDecodeError } from '../../shared/protocol/codec.ts';
import {
  ADV_ACTIVITY_MASK, ADV_CLIP_MOVED, ADV_CLOCK_VALID, ADV_LOW_BATTERY, ADV_SLOUCHING, ADV_SNOOZED, ANGLE_UNKNOWN_I8,
} from '../../shared/protocol/messages.ts';
import type { Advert } from './central.ts';

/** A clip as its advertisement describes it. */
export interface ClipAdvert {
  id: string;
  address: string;
  name: string | undefined;
  rssi: number;
  activity: ActivityName;
  /** Forward angle (°), null while uncalibrated. */
  angleDeg: number | null;
  slouching: boolean;
  snoozed: boolean;
  clockValid: boolean;
  lowBattery: boolean;
  clipMoved: boolean;
  batteryPct: number;
  /** Seq the clip will give its next log record: the bridge syncs when it is past its cursor. */
  nextSeq: number;
  atMs: number;
}

/** Decodes a clip's advertisement, or undefined when it is not one. */
export function clipAdvert(a: Advert): ClipAdvert | undefined {
  if (!a.espruinoData) return undefined;
  const m = decode(a.espruinoData, ['adv']);
  if (isDecodeError(m) || m.name !== 'adv') return undefined;
  const v = m.value;
  const act = v.state & ADV_ACTIVITY_MASK;
  return {
    id: a.id, address: a.address, name: a.name, rssi: a.rssi,
    activity: act < ACTIVITIES.length ? ACTIVITIES[act] : 'uncalibrated',
    angleDeg: v.angleDeg === ANGLE_UNKNOWN_I8 ? null : v.angleDeg,
    slouching: (v.state & ADV_SLOUCHING) !== 0,
    snoozed: (v.state & ADV_SNOOZED) !== 0,
    clockValid: (v.state & ADV_CLOCK_VALID) !== 0,
    lowBattery: (v.state & ADV_LOW_BATTERY) !== 0,
    clipMoved: (v.state & ADV_CLIP_MOVED) !== 0,
    batteryPct: v.batteryPct,
    nextSeq: v.nextSeq,
    atMs: a.atMs,
  };
}
