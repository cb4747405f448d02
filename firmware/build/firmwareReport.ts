/**
 * The firmware report: what the built bundle costs on each board, measured by running it in
 * the emulator (bridge/sim/espruino) through a simulated day — 10 h worn, 14 h on the desk —
 * with an hourly sync while worn. The wearer is the motion generator's `office-day` scenario
 * (bridge/sim/motion: desk work with slouches, phone, breaks and walks, calibrated on arrival)
 * through the board's own sensor part, its 8 h repeated into the 10th hour. Memory is the
 * emulator's variable estimate; energy uses the currents quoted in espruino.md and the
 * datasheets for the measured duty cycles.
 */
import { createEspruinoBoard } from '../../bridge/sim/espruino/espruinoBoard.ts';
import type { BoardName, EspruinoBoard } from '../../bridge/sim/espruino/espruinoBoard.ts';
import { encode, decode, isDecodeError } from '../../shared/protocol/codec.ts';
import { logGeometry } from '../src/app/logGeometry.ts';
import { generateTrace } from '../../bridge/sim/motion/generateTrace.ts';
import { findScenario } from '../../bridge/sim/motion/scenarios.ts';
import type { SensorPartKey } from '../../bridge/sim/motion/sensor.ts';
import { napeUuid } from '../../shared/protocol/uuids.ts';

const HOUR = 3_600_000;
const CR2032_MAH = 220;
const WORN_HOURS = 10;

/** Figures for one board. */
export interface BoardReport {
  board: BoardName;
  variablesTotal: number;
  variablesFreeAfterBootPct: number;
  variablesFreeDuringSyncPct: number;
  logBytesPerWornHour: number;
  logRingBytes: number;
  daysOfLog: number;
  avgUa: number;
  daysOnCr2032: number;
  errors: number;
}

/** The sensor part each board carries, for the motion generator. */
const PARTS: Record<BoardName, SensorPartKey> = { PUCKJS: 'puck', MDBT42Q: 'mpu6050', BANGLEJS2: 'bangle' };

/** The day's wearer: the office-day trace (looped) while worn, then the clip face up on a desk. */
function wearer(board: BoardName): { accel: (tMs: number) => { x: number; y: number; z: number }; calibrateAtMs: number } {
  const trace = generateTrace(findScenario('office-day')!, { part: PARTS[board] });
  const s = trace.samples;
  const stepMs = 1000 / trace.rateHz;
  const lengthMs = s[s.length - 1].tMs + stepMs;
  const press = s.find((x) => x.event === 'calibrate');
  return {
    accel: (tMs) => {
      if (tMs >= WORN_HOURS * HOUR) return { x: 0, y: 0, z: 1 }; // on the desk, face up: not a breath of movement
      const p = s[Math.min(s.length - 1, Math.floor((tMs % lengthMs) / stepMs))];
      return { x: p.ax, y: p.ay, z: p.az };
    },
    calibrateAtMs: press ? press.tMs : 2000,
  };
}

/** Connects, syncs everything and acknowledges it, like the bridge's hourly visit. */
function syncOnce(b: EspruinoBoard, onDuring: () => void): void {
  const c = b.radio.connect('report');
  c.exchangeMtu(53);
  const svc = napeUuid('service');
  c.subscribe(svc, napeUuid('log'));
  c.subscribe(svc, napeUuid('control'));
  let end = -1;
  let sampled = false;
  c.onNotify((_s, _ch, bytes) => {
    const m = decode(bytes);
    if (isDecodeError(m)) return;
    if (m.name === 'logEnd') end = m.value.nextSeq;
    if (m.name === 'logRecords' && !sampled) {
      sampled = true;
      onDuring();
    }
  });
  c.write(svc, napeUuid('control'), encode('syncFrom', { seq: 0, maxRecords: 21 }));
  b.runUntil(() => end >= 0, 120_000);
  if (end >= 0) c.write(svc, napeUuid('control'), encode('ack', { nextSeq: end }));
  b.advance(200);
  c.disconnect();
}

/** Runs the bundle through a day on one board and measures it. */
export function measureBoard(code: string, board: BoardName): BoardReport {
  const w = wearer(board);
  // countOps: the interpreter's own work (tokens × µs each) is part of the energy budget.
  const b = createEspruinoBoard({ board, accel: w.accel, countOps: true });
  b.load(code);
  b.advance(2000);
  const total = b.memory().total;
  const afterBoot = b.memory().free / total;
  // A long press as the wearer settles at the desk: calibration starts when it is released.
  b.advance(Math.max(0, w.calibrateAtMs - 1200 - b.nowMs));
  b.press(1200);
  let duringSync = 1;
  const logStart = b.storage.bytesWritten;
  for (let h = 0; h < WORN_HOURS; h++) {
    b.advance(HOUR - 30_000);
    syncOnce(b, () => {
      duringSync = Math.min(duringSync, b.memory().free / total);
    });
    b.advance(30_000 - 200);
  }
  const logPerHour = (b.storage.bytesWritten - logStart) / WORN_HOURS;
  b.advance(24 * HOUR - b.nowMs);
  const energy = b.energy();
  // Capacity: the blocks already allocated plus those the free Storage still holds, by the
  // rule the firmware applies when it boots.
  const geometry = logGeometry(board, {
    read: () => undefined, write: () => false, erase: () => {},
    list: (prefix) => b.storage.list().filter((n) => n.startsWith(prefix)),
    getFree: () => b.storage.getFree(),
  });
  const ring = geometry.blocks * geometry.blockBytes;
  return {
    board,
    variablesTotal: total,
    variablesFreeAfterBootPct: Math.round(afterBoot * 100),
    variablesFreeDuringSyncPct: Math.round(duringSync * 100),
    logBytesPerWornHour: Math.round(logPerHour),
    logRingBytes: ring,
    daysOfLog: Math.round((ring / (logPerHour * WORN_HOURS)) * 10) / 10,
    avgUa: Math.round(energy.avgUa),
    daysOnCr2032: Math.round((CR2032_MAH * 1000) / energy.avgUa / 24 * 10) / 10,
    errors: b.errors.length,
  };
}

/** The report as a table. */
export function formatReport(plainBytes: number, minBytes: number, budget: number, boards: BoardReport[]): string {
  const lines = [
    `firmware bundle: ${plainBytes} bytes plain, ${minBytes} bytes minified (budget ${budget}: ${minBytes <= budget ? 'within' : 'OVER by ' + (minBytes - budget)})`,
    '',
    '| board | variables | free after boot | free during sync | log bytes per worn hour | log ring | days of log (10 h/day) | average current | days on a CR2032 |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of boards) {
    lines.push(`| ${r.board} | ${r.variablesTotal} | ${r.variablesFreeAfterBootPct}% | ${r.variablesFreeDuringSyncPct}% | ${r.logBytesPerWornHour} | ` +
      `${r.logRingBytes} | ${r.daysOfLog} | ${r.avgUa} µA | ${r.board === 'BANGLEJS2' ? 'n/a (rechargeable)' : r.daysOnCr2032} |`);
  }
  return lines.join('\n');
}
