/**
 * `nape scan`: listens to advertisements for a few seconds and lists the clips heard — id,
 * name, signal, battery, what the wearer is doing — as a table or, with --json, one array.
 */
import { firstValueFrom, timer } from 'rxjs';
import { takeUntil, toArray } from 'rxjs/operators';
import { clipAdvert } from '../ble/advert.ts';
import type { ClipAdvert } from '../ble/advert.ts';
import type { BleCentral } from '../ble/central.ts';
import { BadInputError } from './badInput.ts';

/** Options as commander gives them. */
export interface ScanCommandOptions {
  seconds?: string;
  json?: boolean;
  simulate?: string;
}

/** Parses --simulate: 0 (absent) or a whole number of virtual clips from 1 to 20. */
export function simulatedClips(v: string | undefined): number {
  if (v === undefined) return 0;
  const n = Number(v);
  if (!(Number.isInteger(n) && n >= 1 && n <= 20)) throw new BadInputError('--simulate must be a whole number of clips from 1 to 20, got "' + v + '"');
  return n;
}

/** Seconds to listen: the clip advertises every 2 s, so 5 s hears each clip about twice. */
const DEFAULT_SECONDS = 5;

/** Parses --seconds: a number from 0.5 to 600. */
export function scanSeconds(v: string | undefined): number {
  if (v === undefined) return DEFAULT_SECONDS;
  const n = Number(v);
  if (!(n >= 0.5 && n <= 600)) throw new BadInputError('--seconds must be a number from 0.5 to 600, got "' + v + '"');
  return n;
}

/** Listens for `seconds` and returns the newest advert of each clip, strongest signal first. */
export async function scanClips(central: BleCentral, seconds: number): Promise<ClipAdvert[]> {
  await central.ready(10_000);
  const heard = await firstValueFrom(central.scan({ serviceUuids: [], allowDuplicates: true }).pipe(takeUntil(timer(seconds * 1000)), toArray()));
  const latest = new Map<string, ClipAdvert>();
  for (const a of heard) {
    // A clip is what carries Espruino's company id with data that decodes as `adv`; anything else is another device.
    const c = clipAdvert(a);
    if (c) latest.set(c.id, c);
  }
  return [...latest.values()].sort((a, b) => b.rssi - a.rssi);
}

/** The table `nape scan` prints. */
export function formatClips(clips: ClipAdvert[], radio: string): string {
  if (clips.length === 0) return 'No clips heard (' + radio + ' radio). Is the clip awake? Press its button and scan again.\n';
  const rows = [['id', 'name', 'rssi', 'battery', 'activity', 'angle', 'state']];
  for (const c of clips) {
    const flags = [c.slouching ? 'slouching' : '', c.snoozed ? 'snoozed' : '', c.lowBattery ? 'low battery' : '', c.clipMoved ? 'clip moved' : '',
      c.clockValid ? '' : 'clock unset'].filter(Boolean).join(', ');
    rows.push([c.id, c.name || '', c.rssi + ' dBm', c.batteryPct + '%', c.activity, c.angleDeg === null ? '—' : c.angleDeg + '°', flags || 'ok']);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()).join('\n') + '\n';
}
