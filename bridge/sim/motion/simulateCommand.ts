/**
 * `nape simulate <scenario> --out trace.csv`: writes a library scenario's accelerometer trace
 * in the replay input format, with its ground truth beside it (truthFiles.ts).
 */
import { BadInputError } from '../../cli/badInput.ts';
import { formatTraceCsv } from '../../replay/traceCsv.ts';
import { writeFileAtomic } from '../../replay/writeFileAtomic.ts';
import { generateTrace } from './generateTrace.ts';
import { SCENARIOS, findScenario } from './scenarios.ts';
import { SENSOR_PARTS } from './sensor.ts';
import type { SensorPartKey } from './sensor.ts';
import { formatTruthCsv, truthJson } from './truthFiles.ts';

/** Options of `nape simulate` as typed. */
export interface SimulateCommandOptions {
  out: string;
  seed?: string;
  part?: string;
}

/** The truth file paths beside a trace path: trace.csv → trace.truth.csv, trace.truth.json. */
export function truthPaths(out: string): { csv: string; json: string } {
  const base = out.replace(/\.csv$/i, '');
  return { csv: `${base}.truth.csv`, json: `${base}.truth.json` };
}

function parseSeed(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || n > 0xffffffff) throw new BadInputError(`--seed must be a whole number from 0 to 4294967295, got "${v}"`);
  return n;
}

function parsePart(v: string | undefined): SensorPartKey | undefined {
  if (v === undefined) return undefined;
  if (!(v in SENSOR_PARTS)) throw new BadInputError(`--part must be one of ${Object.keys(SENSOR_PARTS).join(', ')}, got "${v}"`);
  return v as SensorPartKey;
}

/** Scenario names and summaries, for the help text. */
export function scenarioList(): string {
  return SCENARIOS.map((s) => `  ${s.name.padEnd(20)} ${s.summary}`).join('\n');
}

/** Runs the command; returns the lines it prints. */
export function simulateCommand(name: string, o: SimulateCommandOptions): string {
  const scenario = findScenario(name);
  if (!scenario) throw new BadInputError(`unknown scenario "${name}"; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  const tr = generateTrace(scenario, { seed: parseSeed(o.seed), part: parsePart(o.part) });
  const paths = truthPaths(o.out);
  const comments = [
    `nape simulate ${scenario.name} --seed ${tr.seed} --part ${tr.part}: ${scenario.summary}`,
    `sensor ${SENSOR_PARTS[tr.part].name}, ${tr.rateHz} Hz; ground truth in ${paths.csv} and ${paths.json}`,
  ];
  writeFileAtomic(o.out, formatTraceCsv(tr.samples, comments));
  writeFileAtomic(paths.csv, formatTruthCsv(tr));
  writeFileAtomic(paths.json, JSON.stringify(truthJson(tr), null, 2) + '\n');
  return `wrote ${tr.samples.length} samples (${(tr.plan.endMs / 60000).toFixed(1)} min, ${tr.episodes.length} slouch episodes) → ${o.out}, ${paths.csv}, ${paths.json}\n`;
}
