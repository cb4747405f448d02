/**
 * The accelerometer trace CSV that `nape replay` reads and `nape simulate` writes: a header
 * row naming the columns t_ms, ax_g, ay_g, az_g (sensor axes, g; board z is the clip's outward
 * normal), optional gx_dps, gy_dps, gz_dps and event (calibrate | snooze); lines starting with
 * `#` are comments; other columns are ignored. Bad input is a TraceFormatError naming the line.
 */
import { BadInputError } from '../cli/badInput.ts';

/** Button presses a trace can carry. */
export const TRACE_EVENTS = ['calibrate', 'snooze'] as const;
/** A trace event. */
export type TraceEventName = (typeof TRACE_EVENTS)[number];

/** One accelerometer sample. */
export interface TraceSample {
  tMs: number;
  ax: number;
  ay: number;
  az: number;
  gx?: number;
  gy?: number;
  gz?: number;
  event?: TraceEventName;
}

/** A trace line the reader cannot accept; `line` is 1-based. */
export class TraceFormatError extends BadInputError {
  override name = 'TraceFormatError';
  constructor(readonly line: number, readonly problem: string) {
    super(`line ${line}: ${problem}`);
  }
}

const REQUIRED = ['t_ms', 'ax_g', 'ay_g', 'az_g'] as const;
const GYRO = ['gx_dps', 'gy_dps', 'gz_dps'] as const;
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** Column positions of a header row (−1: absent). */
type Columns = Record<(typeof REQUIRED)[number] | (typeof GYRO)[number] | 'event', number>;

function readHeader(cells: string[], line: number): Columns {
  const seen = new Set<string>();
  for (const c of cells) {
    if (seen.has(c)) throw new TraceFormatError(line, `column "${c}" appears twice in the header`);
    seen.add(c);
  }
  const missing = REQUIRED.filter((c) => !seen.has(c));
  if (missing.length) {
    throw new TraceFormatError(line, `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (the header needs t_ms, ax_g, ay_g, az_g; it has: ${cells.join(', ')})`);
  }
  const cols = {} as Columns;
  for (const c of [...REQUIRED, ...GYRO, 'event'] as const) cols[c] = cells.indexOf(c);
  return cols;
}

function numberCell(cells: string[], col: number, name: string, line: number): number {
  const s = cells[col];
  if (!NUMBER.test(s)) throw new TraceFormatError(line, `column ${name}: ${s === '' ? 'empty cell' : `"${s}" is not a number`}`);
  return Number(s);
}

function optionalNumber(cells: string[], col: number, name: string, line: number): number | undefined {
  return col < 0 || cells[col] === '' ? undefined : numberCell(cells, col, name, line);
}

function eventCell(cells: string[], col: number, line: number): TraceEventName | undefined {
  const s = col < 0 ? '' : cells[col];
  if (s === '') return undefined;
  if ((TRACE_EVENTS as readonly string[]).includes(s)) return s as TraceEventName;
  throw new TraceFormatError(line, `column event: "${s}" is not one of ${TRACE_EVENTS.join(', ')} (or empty)`);
}

function readSample(cells: string[], cols: Columns, line: number, width: number): TraceSample {
  if (cells.length !== width) throw new TraceFormatError(line, `${cells.length} cells, the header has ${width}`);
  const s: TraceSample = {
    tMs: numberCell(cells, cols.t_ms, 't_ms', line),
    ax: numberCell(cells, cols.ax_g, 'ax_g', line),
    ay: numberCell(cells, cols.ay_g, 'ay_g', line),
    az: numberCell(cells, cols.az_g, 'az_g', line),
  };
  const gx = optionalNumber(cells, cols.gx_dps, 'gx_dps', line);
  const gy = optionalNumber(cells, cols.gy_dps, 'gy_dps', line);
  const gz = optionalNumber(cells, cols.gz_dps, 'gz_dps', line);
  if (gx !== undefined || gy !== undefined || gz !== undefined) Object.assign(s, { gx, gy, gz });
  const ev = eventCell(cells, cols.event, line);
  if (ev) s.event = ev;
  return s;
}

/** Parses a trace; throws TraceFormatError on the first bad line. */
export function parseTraceCsv(text: string): TraceSample[] {
  const lines = text.split('\n');
  let cols: Columns | null = null;
  let width = 0;
  const out: TraceSample[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].replace(/\r$/, '');
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue;
    const cells = raw.split(',').map((c) => c.trim());
    if (!cols) {
      cols = readHeader(cells, i + 1);
      width = cells.length;
      continue;
    }
    const s = readSample(cells, cols, i + 1, width);
    const prev = out.length ? out[out.length - 1].tMs : -Infinity;
    if (s.tMs < prev) throw new TraceFormatError(i + 1, `t_ms ${s.tMs} is before the previous sample's ${prev} (time going backwards)`);
    out.push(s);
  }
  const last = lines.length - (lines[lines.length - 1] === '' ? 1 : 0);
  if (!cols) throw new TraceFormatError(Math.max(1, last), 'empty trace: expected a header row with t_ms, ax_g, ay_g, az_g');
  if (!out.length) throw new TraceFormatError(Math.max(1, last), 'no samples after the header');
  return out;
}

/** A number with at most `digits` decimals, trailing zeros dropped, never "-0". */
export function formatNumber(v: number, digits: number): string {
  const s = v.toFixed(digits).replace(/\.?0+$/, '');
  return s === '-0' ? '0' : s;
}

/** Writes a trace: comment lines, then t_ms,ax_g,ay_g,az_g[,gyro],event. */
export function formatTraceCsv(samples: readonly TraceSample[], comments: readonly string[] = []): string {
  const gyro = samples.some((s) => s.gx !== undefined);
  const head = ['t_ms', 'ax_g', 'ay_g', 'az_g', ...(gyro ? GYRO : []), 'event'].join(',');
  const rows = comments.map((c) => `# ${c}`);
  rows.push(head);
  for (const s of samples) {
    const cells = [formatNumber(s.tMs, 3), formatNumber(s.ax, 6), formatNumber(s.ay, 6), formatNumber(s.az, 6)];
    if (gyro) for (const g of [s.gx, s.gy, s.gz]) cells.push(g === undefined ? '' : formatNumber(g, 3));
    cells.push(s.event ?? '');
    rows.push(cells.join(','));
  }
  return rows.join('\n') + '\n';
}
