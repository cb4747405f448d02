// `nape simulate` and `nape replay` through the command line: in-process via main() and once as a
// real child process; bad input exits 2 with the line named and leaves no output file.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../bridge/cli/main.ts';
import { REPLAY_HEADER } from '../../bridge/replay/replayTrace.ts';
import { TRUTH_HEADER } from '../../bridge/sim/motion/truthFiles.ts';

const BIN = new URL('../../bridge/cli/bin.js', import.meta.url).pathname;
const GOOD = 't_ms,ax_g,ay_g,az_g,event\n0,0,0.95,0.3,\n80,0,0.95,0.3,calibrate\n160,0,0.95,0.3,\n';

let dir: string;
let stderr: string;
let stdout: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nape-replay-'));
  stderr = '';
  stdout = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
});

afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

const p = (name: string) => join(dir, name);

describe('nape simulate and nape replay (in-process)', () => {
  it('simulates a scenario with its truth beside it, and replays it', async () => {
    expect(await main(['simulate', 'phone-heavy', '--out', p('t.csv'), '--seed', '11'])).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['t.csv', 't.truth.csv', 't.truth.json']);
    const trace = readFileSync(p('t.csv'), 'utf8').trimEnd().split('\n').filter((l) => !l.startsWith('#'));
    expect(trace[0]).toBe('t_ms,ax_g,ay_g,az_g,event');
    const truth = readFileSync(p('t.truth.csv'), 'utf8').trimEnd().split('\n');
    expect(truth[0]).toBe(TRUTH_HEADER);
    expect(truth).toHaveLength(trace.length);
    const meta = JSON.parse(readFileSync(p('t.truth.json'), 'utf8'));
    expect(meta).toMatchObject({ scenario: 'phone-heavy', seed: 11, rate_hz: 12.5, threshold_deg: 15, delay_s: 20 });
    expect(meta.episodes.length).toBeGreaterThan(0);

    expect(await main(['replay', p('t.csv'), '--out', p('o.csv')])).toBe(0);
    const out = readFileSync(p('o.csv'), 'utf8').trimEnd().split('\n');
    expect(out[0]).toBe(REPLAY_HEADER);
    expect(out).toHaveLength(trace.length);
    const alerts = out.filter((l) => l.endsWith(',1')).length;
    expect(alerts).toBeGreaterThan(0);
    expect(stdout).toMatch(new RegExp(`${alerts} alerts`));

    expect(await main(['replay', p('t.csv'), '--out', p('o2.csv'), '--threshold', '60'])).toBe(0);
    expect(readFileSync(p('o2.csv'), 'utf8').split('\n').filter((l) => l.endsWith(',1'))).toHaveLength(0);
  });

  it('takes settings from a JSON config file validated like the clip does', async () => {
    writeFileSync(p('in.csv'), GOOD);
    writeFileSync(p('ok.json'), JSON.stringify({ threshold_deg: 20, delay_s: 5 }));
    expect(await main(['replay', p('in.csv'), '--out', p('o.csv'), '--config', p('ok.json')])).toBe(0);
    expect(stdout).toMatch(/threshold 20°, delay 5 s/);
    writeFileSync(p('bad.json'), JSON.stringify({ threshold_deg: 99 }));
    expect(await main(['replay', p('in.csv'), '--out', p('o3.csv'), '--config', p('bad.json')])).toBe(2);
    expect(stderr).toMatch(/threshold_deg must be a whole number from 5 to 60/);
    expect(await main(['replay', p('in.csv'), '--out', p('o3.csv'), '--delay', 'soon'])).toBe(2);
    expect(stderr).toMatch(/--delay must be a number, got "soon"/);
    expect(existsSync(p('o3.csv'))).toBe(false);
  });

  const bad: [string, string, RegExp][] = [
    ['missing column', 't_ms,ax_g,az_g\n0,0,1\n', /line 1: missing column ay_g/],
    ['non-numeric cell', 't_ms,ax_g,ay_g,az_g\n0,0,1,0\n80,0,1,x\n', /line 3: column az_g: "x" is not a number/],
    ['time going backwards', 't_ms,ax_g,ay_g,az_g\n0,0,1,0\n80,0,1,0\n79,0,1,0\n', /line 4: t_ms 79 is before/],
    ['empty file', '', /line 1: empty trace/],
  ];
  for (const [what, text, msg] of bad) {
    it(`exits 2 on a ${what}, naming the file and line, writing nothing`, async () => {
      writeFileSync(p('in.csv'), text);
      expect(await main(['replay', p('in.csv'), '--out', p('out.csv')])).toBe(2);
      expect(stderr).toContain(p('in.csv'));
      expect(stderr).toMatch(msg);
      expect(stderr).not.toMatch(/at .*\.ts:\d+/);
      expect(readdirSync(dir)).toEqual(['in.csv']);
    });
  }

  it('exits 2 on a missing input file, an unknown scenario or a missing --out', async () => {
    expect(await main(['replay', p('none.csv'), '--out', p('o.csv')])).toBe(2);
    expect(stderr).toMatch(/cannot read .*none\.csv/);
    expect(await main(['simulate', 'marathon', '--out', p('t.csv')])).toBe(2);
    expect(stderr).toMatch(/unknown scenario "marathon"; known: office-day/);
    expect(await main(['replay', p('none.csv')])).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('nape replay (child process)', () => {
  it('exits 2 on bad input with the line named and no output file', async () => {
    writeFileSync(p('in.csv'), 't_ms,ax_g,ay_g,az_g\n0,0,1,0\n80,0,one,0\n');
    const r = await promisify(execFile)(process.execPath, [BIN, 'replay', p('in.csv'), '--out', p('out.csv')], { timeout: 30_000 })
      .then(() => ({ code: 0, stderr: '' }), (e: { code: number; stderr: string }) => e);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/line 3: column ay_g: "one" is not a number/);
    expect(existsSync(p('out.csv'))).toBe(false);
  });
});
