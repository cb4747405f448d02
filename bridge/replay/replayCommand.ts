/**
 * `nape replay <in.csv> --out <out.csv>`: reads an accelerometer trace, runs it through the
 * clip's posture engine with the clip's settings and writes what the clip would have decided
 * for every sample. Bad input is a BadInputError naming the file and line; no output is written.
 */
import { readFileSync } from 'node:fs';
import { BadInputError } from '../cli/badInput.ts';
import { formatReplayCsv, replayTrace } from './replayTrace.ts';
import { replaySettings } from './replaySettings.ts';
import type { ReplaySettingsOptions } from './replaySettings.ts';
import { TraceFormatError, parseTraceCsv } from './traceCsv.ts';
import type { TraceSample } from './traceCsv.ts';
import { writeFileAtomic } from './writeFileAtomic.ts';

/** Options of `nape replay`. */
export interface ReplayCommandOptions extends ReplaySettingsOptions {
  out: string;
  /** Step the engine on every sample instead of sampling as the clip does. */
  everySample?: boolean;
}

/** Reads and parses a trace file, naming the file in any error. */
export function readTrace(path: string): TraceSample[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new BadInputError(`cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    return parseTraceCsv(text);
  } catch (e) {
    if (e instanceof TraceFormatError) throw new BadInputError(`${path} line ${e.line}: ${e.problem}`);
    throw e;
  }
}

/** Runs the command; returns the one-line summary it prints. */
export function replayCommand(input: string, o: ReplayCommandOptions): string {
  const settings = replaySettings(o);
  const samples = readTrace(input);
  const rows = replayTrace(samples, settings, { everySample: Boolean(o.everySample) });
  writeFileAtomic(o.out, formatReplayCsv(rows));
  const alerts = rows.filter((r) => r.alert).length;
  return `replayed ${rows.length} samples (threshold ${settings.thresholdDeg}°, delay ${settings.delayS} s): ${alerts} alert${alerts === 1 ? '' : 's'} → ${o.out}\n`;
}
