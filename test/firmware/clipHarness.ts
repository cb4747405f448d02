// Test harness: the real built firmware on the emulated board, a wearer whose posture follows a
// script, and a minimal central that speaks the protocol (the bridge proper is another issue).
import { createEspruinoBoard } from '../../bridge/sim/espruino/espruinoBoard.ts';
import type { Connection, EspruinoBoard, EspruinoBoardOptions } from '../../bridge/sim/espruino/espruinoBoard.ts';
import { buildFirmware } from '../../firmware/build/buildFirmware.ts';
import { decode, encode, isDecodeError, recordsPerFrame } from '../../shared/protocol/codec.ts';
import type { AnyMessage } from '../../shared/protocol/messages.ts';
import { createAssembler, feedLogFrame, requested } from '../../bridge/pipeline/syncAssembler.ts';
import type { TimedRecord } from '../../shared/protocol/records.ts';
import { napeUuid, nobleUuid } from '../../shared/protocol/uuids.ts';
import { bodyUp, toBoard } from '../posture/synth.ts';
import type { Mount } from '../posture/synth.ts';

let built: Promise<string> | null = null;

/** The minified firmware, built once per test file. */
export function firmware(): Promise<string> {
  if (!built) built = buildFirmware().then((b) => b.minified);
  return built;
}

/** What the wearer does at time t (ms since the board was created). */
export interface Pose {
  fwdDeg: number;
  latDeg?: number;
  walking?: boolean;
  /** Lying on a table: perfectly still. */
  table?: boolean;
}

/** An accelerometer source from a posture script, through a clip mounting, with breathing sway and walking. */
export function wearer(script: (tMs: number) => Pose, mount: Mount = { psiDeg: 20, tiltDeg: 5 }) {
  return (tMs: number) => {
    const p = script(tMs);
    const ts = tMs / 1000;
    let fwd = p.fwdDeg + (p.table ? 0 : 0.3 * Math.sin(2 * Math.PI * 0.25 * ts));
    let lat = p.latDeg ?? 0;
    const lin = [0, 0, 0];
    if (p.walking) {
      const w = 2 * Math.PI * 1.8 * ts;
      fwd += 1.5 * Math.sin(w + 0.3);
      lat += 2 * Math.sin(w / 2);
      lin[1] = 0.25 * Math.sin(w + 1.2) + 0.08 * Math.sin(2 * w + 0.6);
      lin[2] = 0.15 * Math.sin(w + 2.8);
      lin[0] = 0.07 * Math.sin(w / 2);
    }
    const g = bodyUp(fwd, lat);
    const b = toBoard(mount, [g[0] + lin[0], g[1] + lin[1], g[2] + lin[2]]);
    return { x: b[0], y: b[1], z: b[2] };
  };
}

/** A board running the firmware, booted. */
export async function bootClip(opts: Partial<EspruinoBoardOptions> & { script?: (tMs: number) => Pose } = {}): Promise<EspruinoBoard> {
  const board = createEspruinoBoard({
    board: 'PUCKJS',
    accel: wearer(opts.script ?? (() => ({ fwdDeg: 0 }))),
    ...opts,
  });
  board.load(await firmware());
  board.advance(500);
  return board;
}

const SVC = napeUuid('service');

/** A central connected to the clip, decoding every notification. */
export class Central {
  conn: Connection;
  frames: { atMs: number; ch: string; msg: AnyMessage | { error: string } }[] = [];
  results: { op: number; code: number; detail: number }[] = [];

  constructor(public board: EspruinoBoard, mtu = 23) {
    this.conn = board.radio.connect('aa:bb:cc:dd:ee:ff');
    this.conn.exchangeMtu(mtu);
    for (const ch of ['control', 'log', 'live'] as const) this.conn.subscribe(SVC, napeUuid(ch));
    this.conn.onNotify((_svc, ch, bytes) => {
      const m = decode(bytes);
      const id = ch.toLowerCase().replace(/-/g, '');
      const name = id === nobleUuid('log') ? 'log' : id === nobleUuid('live') ? 'live' : 'control';
      this.frames.push({ atMs: board.nowMs, ch: name, msg: isDecodeError(m) ? { error: m.error } : m });
      if (!isDecodeError(m) && m.name === 'result') this.results.push(m.value);
    });
  }

  write(ch: 'control' | 'config', bytes: Uint8Array): void {
    this.conn.write(SVC, napeUuid(ch), bytes);
  }

  read(ch: 'info' | 'config'): AnyMessage {
    const m = decode(this.conn.read(SVC, napeUuid(ch)));
    if (isDecodeError(m)) throw new Error(`${ch}: ${m.message}`);
    return m;
  }

  /**
   * Syncs like the bridge will: from `fromSeq`, detecting gaps by seq and asking again from the
   * first missing one. Returns every record placed in time, in seq order, each exactly once.
   */
  sync(fromSeq = 0, maxMs = 600_000): { records: TimedRecord[]; requests: number; nextSeq: number } {
    const perFrame = recordsPerFrame(this.conn.mtu);
    const asm = createAssembler(fromSeq);
    const out: TimedRecord[] = [];
    let seen = this.frames.length;
    const request = (seq: number) => {
      this.write('control', encode('syncFrom', { seq, maxRecords: perFrame }));
    };
    request(fromSeq);
    const deadline = this.board.nowMs + maxMs;
    let lastProgress = this.board.nowMs;
    while (!asm.done && this.board.nowMs < deadline) {
      this.board.advance(20);
      for (; seen < this.frames.length; seen++) {
        const f = this.frames[seen];
        if (f.ch !== 'log' || 'error' in f.msg) continue;
        const step = feedLogFrame(asm, f.msg as AnyMessage);
        if (step.records.length) lastProgress = this.board.nowMs;
        out.push(...step.records);
        if (step.requestFrom !== undefined) request(step.requestFrom);
      }
      if (!asm.done && this.board.nowMs - lastProgress > 2000) {
        request(requested(asm));
        lastProgress = this.board.nowMs;
      }
    }
    if (!asm.done) throw new Error(`sync did not finish: at seq ${asm.expected} after ${asm.requests} requests`);
    return { records: out, requests: asm.requests, nextSeq: asm.expected };
  }

  disconnect(): void {
    this.conn.disconnect();
  }
}

/** Motor pulses grouped into buzzes (pulses less than 600 ms apart belong together): [startMs, pulses]. */
export function buzzes(board: EspruinoBoard, fromMs = 0): { atMs: number; pulses: number[] }[] {
  const out: { atMs: number; pulses: number[]; endMs: number }[] = [];
  for (const p of board.motorPulses()) {
    if (p.atMs < fromMs) continue;
    const last = out[out.length - 1];
    if (last && p.atMs - last.endMs < 600) {
      last.pulses.push(Math.round(p.durMs));
      last.endMs = p.atMs + p.durMs;
    } else out.push({ atMs: p.atMs, pulses: [Math.round(p.durMs)], endMs: p.atMs + p.durMs });
  }
  return out.map((b) => ({ atMs: b.atMs, pulses: b.pulses }));
}
