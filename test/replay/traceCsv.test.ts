// The trace CSV: round trip, comments, optional columns, and every bad-input case naming its line.
import { describe, expect, it } from 'vitest';
import { TraceFormatError, formatTraceCsv, parseTraceCsv } from '../../bridge/replay/traceCsv.ts';
import type { TraceSample } from '../../bridge/replay/traceCsv.ts';
import { generateTrace } from '../../bridge/sim/motion/generateTrace.ts';
import { findScenario } from '../../bridge/sim/motion/scenarios.ts';

/** The error a parse throws, or fails the test. */
function parseError(text: string): TraceFormatError {
  try {
    parseTraceCsv(text);
  } catch (e) {
    expect(e).toBeInstanceOf(TraceFormatError);
    return e as TraceFormatError;
  }
  throw new Error('parsed without error');
}

describe('trace CSV', () => {
  it('round-trips a generated trace to the resolution it writes', () => {
    const tr = generateTrace(findScenario('phone-heavy')!, { seed: 5 });
    const text = formatTraceCsv(tr.samples, ['a comment']);
    const back = parseTraceCsv(text);
    expect(back).toHaveLength(tr.samples.length);
    back.forEach((s, i) => {
      const o = tr.samples[i];
      expect(s.tMs).toBe(o.tMs);
      for (const k of ['ax', 'ay', 'az'] as const) expect(Math.abs(s[k] - o[k])).toBeLessThanOrEqual(5.0001e-7);
      expect(s.event).toBe(o.event);
    });
    expect(formatTraceCsv(back, ['a comment'])).toBe(text);
  });

  it('reads columns by name in any order, with comments, blank lines, CRLF, gyro and extra columns', () => {
    const text = '# recorded\r\nevent,az_g,t_ms,ay_g,ax_g,gx_dps,gy_dps,gz_dps,note\r\n\r\ncalibrate,0.1,0,0.99,0.01,1,2,3,x\r\n# pause\r\n,0.2,80,0.98,-0.02,,,,\r\n';
    const s = parseTraceCsv(text);
    expect(s).toEqual<TraceSample[]>([
      { tMs: 0, ax: 0.01, ay: 0.99, az: 0.1, gx: 1, gy: 2, gz: 3, event: 'calibrate' },
      { tMs: 80, ax: -0.02, ay: 0.98, az: 0.2 },
    ]);
    expect(parseTraceCsv(formatTraceCsv(s))).toEqual(s);
  });

  const cases: [string, string, number, RegExp][] = [
    ['a missing column', 't_ms,ax_g,az_g\n0,0,1\n', 1, /missing column ay_g/],
    ['a non-numeric cell', '# c\nt_ms,ax_g,ay_g,az_g\n0,0,1,0\n80,0,abc,0\n', 4, /column ay_g: "abc" is not a number/],
    ['an empty cell', 't_ms,ax_g,ay_g,az_g\n0,0,,0\n', 2, /column ay_g: empty cell/],
    ['time going backwards', 't_ms,ax_g,ay_g,az_g\n0,0,1,0\n80,0,1,0\n40,0,1,0\n', 4, /t_ms 40 is before the previous sample's 80/],
    ['an empty file', '', 1, /empty trace/],
    ['only comments', '# nothing\n# here\n', 2, /empty trace/],
    ['a header without samples', 't_ms,ax_g,ay_g,az_g\n', 1, /no samples/],
    ['an unknown event', 't_ms,ax_g,ay_g,az_g,event\n0,0,1,0,recalibrate\n', 2, /"recalibrate" is not one of calibrate, snooze/],
    ['a short row', 't_ms,ax_g,ay_g,az_g\n0,0,1\n', 2, /3 cells, the header has 4/],
    ['a duplicate column', 't_ms,ax_g,ay_g,az_g,ax_g\n', 1, /"ax_g" appears twice/],
  ];
  for (const [what, text, line, msg] of cases) {
    it(`rejects ${what}, naming line ${line}`, () => {
      const e = parseError(text);
      expect(e.line).toBe(line);
      expect(e.message).toMatch(new RegExp(`^line ${line}: `));
      expect(e.message).toMatch(msg);
    });
  }
});
