/**
 * A virtual clip: the real built firmware bundle booted on the Espruino emulator
 * (bridge/sim/espruino), worn by the motion generator (bridge/sim/motion). The scenario's trace
 * loops for as long as the simulation runs, and the wearer holds the button (a long press,
 * which calibrates) so that it is released at every `calibrate` event of the trace, as
 * firmware/build/firmwareReport.ts does for its day.
 *
 * The firmware and the traces are built once per process and shared (a build takes about a
 * second, an 8 h trace as long).
 */
import { createEspruinoBoard } from '../../sim/espruino/espruinoBoard.ts';
import type { AccelSource, BoardName, EspruinoBoard, EspruinoBoardOptions } from '../../sim/espruino/espruinoBoard.ts';
import { generateTrace } from '../../sim/motion/generateTrace.ts';
import { findScenario, SCENARIOS } from '../../sim/motion/scenarios.ts';
import type { SensorPartKey } from '../../sim/motion/sensor.ts';
import { buildFirmware } from '../../../firmware/build/buildFirmware.ts';

/** The sensor part each board carries, for the motion generator. */
export const BOARD_PARTS: Record<BoardName, SensorPartKey> = { PUCKJS: 'puck', MDBT42Q: 'mpu6050', BANGLEJS2: 'bangle' };

/** How long the wearer holds the button to calibrate (the firmware's long press is ≥ 1 s). */
export const CALIBRATE_PRESS_MS = 1200;

let firmwareBuild: Promise<string> | undefined;

/** The minified firmware bundle, built once per process. */
export function simFirmware(): Promise<string> {
  if (!firmwareBuild) {
    firmwareBuild = buildFirmware().then((b) => b.minified);
    // A failed build is not cached: the next caller tries again.
    firmwareBuild.catch(() => {
      firmwareBuild = undefined;
    });
  }
  return firmwareBuild;
}

/** A trace packed for looping: g per axis at a fixed step, and the calibrate presses. */
export interface Wearer {
  accel: AccelSource;
  /** Length of one loop of the trace, ms (Infinity for a custom accel source). */
  loopMs: number;
  /** Times within a loop when the wearer releases a calibrating long press. */
  calibrateAtMs: number[];
}

const wearers = new Map<string, Wearer>();

/** The scenario's trace through the board's own sensor part, looped; cached per (scenario, part, seed). */
export function scenarioWearer(scenario: string, board: BoardName, seed?: number): Wearer {
  const sc = findScenario(scenario);
  if (!sc) throw new Error('Unknown motion scenario "' + scenario + '": one of ' + SCENARIOS.map((s) => s.name).join(', '));
  const part = BOARD_PARTS[board];
  const key = scenario + '|' + part + '|' + (seed ?? 'default');
  const cached = wearers.get(key);
  if (cached) return cached;
  const trace = generateTrace(sc, { part, seed });
  const s = trace.samples;
  const n = s.length;
  if (n === 0) throw new Error('Motion scenario "' + scenario + '" produced no samples');
  const xyz = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    xyz[3 * i] = s[i].ax;
    xyz[3 * i + 1] = s[i].ay;
    xyz[3 * i + 2] = s[i].az;
  }
  const stepMs = 1000 / trace.rateHz;
  const loopMs = s[n - 1].tMs + stepMs;
  const w: Wearer = {
    loopMs,
    calibrateAtMs: s.filter((x) => x.event === 'calibrate').map((x) => x.tMs),
    accel: (tMs) => {
      const i = Math.min(n - 1, Math.floor((((tMs % loopMs) + loopMs) % loopMs) / stepMs));
      return { x: xyz[3 * i], y: xyz[3 * i + 1], z: xyz[3 * i + 2] };
    },
  };
  wearers.set(key, w);
  return w;
}

/** What makes one virtual clip. */
export interface VirtualClipOptions {
  /** Default 'PUCKJS'. */
  board?: BoardName;
  /** Motion generator scenario (bridge/sim/motion/scenarios.ts); default 'office-day'. */
  scenario?: string;
  /** Motion seed; default the scenario's own. */
  seed?: number;
  /** Replaces the scenario: g in board axes at board time tMs. */
  accel?: AccelSource;
  /**
   * Times (board ms, within one loop of the trace) at which a calibrating long press is
   * released. Default: the trace's `calibrate` events; none with a custom `accel`.
   */
  calibrateAtMs?: number[];
  /** The bundle to boot; default the built minified firmware. */
  firmware?: string;
  /** Passed to createEspruinoBoard (storage, MTU, battery, connection interval, …). */
  boardOptions?: Omit<EspruinoBoardOptions, 'board' | 'accel'>;
}

/** A booted virtual clip and the wearer's button schedule. */
export interface BootedClip {
  board: EspruinoBoard;
  wearer: Wearer;
}

/** Creates the board, boots the firmware (board time 0) and returns it with its wearer. */
export async function bootVirtualClip(o: VirtualClipOptions): Promise<BootedClip> {
  const boardName = o.board ?? 'PUCKJS';
  let wearer: Wearer;
  if (o.accel) wearer = { accel: o.accel, loopMs: Infinity, calibrateAtMs: o.calibrateAtMs ?? [] };
  else {
    const w = scenarioWearer(o.scenario ?? 'office-day', boardName, o.seed);
    wearer = o.calibrateAtMs ? { ...w, calibrateAtMs: o.calibrateAtMs } : w;
  }
  const code = o.firmware ?? await simFirmware();
  const board = createEspruinoBoard({ ...o.boardOptions, board: boardName, accel: wearer.accel });
  board.load(code);
  return { board, wearer };
}

/**
 * The button edges of the wearer's calibrating presses after board time `afterMs` (exclusive),
 * in order, looping the trace: each press is held CALIBRATE_PRESS_MS and released at the event.
 */
export function nextButtonEdge(w: Wearer, afterMs: number): { atMs: number; level: 0 | 1 } | undefined {
  if (!w.calibrateAtMs.length) return undefined;
  const loops = Number.isFinite(w.loopMs) ? [Math.floor(afterMs / w.loopMs), Math.floor(afterMs / w.loopMs) + 1] : [0];
  let best: { atMs: number; level: 0 | 1 } | undefined;
  for (const k of loops) {
    const base = Number.isFinite(w.loopMs) ? k * w.loopMs : 0;
    for (const t of w.calibrateAtMs) {
      const up = base + t;
      const down = Math.max(base, up - CALIBRATE_PRESS_MS);
      for (const e of [{ atMs: down, level: 1 as const }, { atMs: up, level: 0 as const }]) {
        if (e.atMs > afterMs && (!best || e.atMs < best.atMs)) best = e;
      }
    }
  }
  return best;
}
