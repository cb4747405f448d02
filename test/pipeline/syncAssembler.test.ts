import { describe, expect, it } from 'vitest';
import { createAssembler, feedLogFrame, requested } from '../../bridge/pipeline/syncAssembler.ts';
import { decode, encode, isDecodeError } from '../../shared/protocol/codec.ts';
import type { AnyMessage, MessageName, MessageValue } from '../../shared/protocol/messages.ts';
import { TIME_CLOCK_VALID } from '../../shared/protocol/messages.ts';
import { packMinute } from '../../shared/protocol/records.ts';

/** A frame as the clip sends it, through the real codec. */
function frame<N extends MessageName>(name: N, value: MessageValue<N>): AnyMessage {
  const m = decode(encode(name, value));
  if (isDecodeError(m)) throw new Error(m.error);
  return m;
}
const T0 = 1_790_000_000;
const anchor = (seq: number) => frame('logAnchor', { seq, t0S: T0 + (seq - 100) * 60, bootId: 3, timeFlags: TIME_CLOCK_VALID, corrS: 0 });
const recs = (firstSeq: number, count: number) =>
  frame('logRecords', { firstSeq, count, records: Array.from({ length: count }, (_, i) => packMinute(1, 0, firstSeq + i - 90, NaN, 0)) });

describe('sync reassembly', () => {
  it('places each record once, in time, and asks again from the first seq a dropped frame lost', () => {
    const a = createAssembler(100);
    const got: number[] = [];
    const feed = (m: AnyMessage) => {
      const s = feedLogFrame(a, m);
      got.push(...s.records.map((r) => r.seq));
      return s;
    };
    feed(anchor(100));
    expect(feed(recs(100, 4)).records.map((r) => r.tS)).toEqual([T0, T0 + 60, T0 + 120, T0 + 180]);
    // 104..107 dropped: the next frame starts at 108.
    expect(feed(recs(108, 4)).requestFrom).toBe(104);
    // The rest of the old stream is ignored until the answer's anchor.
    expect(feed(recs(112, 4)).records).toEqual([]);
    feed(anchor(104));
    feed(recs(104, 4));
    feed(recs(100, 4)); // a late resend of what is placed already
    feed(recs(108, 4));
    feed(frame('logEnd', { nextSeq: 112 }));
    expect(a.done).toBe(true);
    expect(got).toEqual(Array.from({ length: 12 }, (_, i) => 100 + i));
    expect(a.requests).toBe(2);
  });

  it('counts seqs the clip no longer has and finishes on an end at the newest seq', () => {
    const a = createAssembler(50);
    feedLogFrame(a, anchor(100)); // 50..99 were overwritten on a full clip
    expect(a.skipped).toBe(50);
    expect(feedLogFrame(a, recs(100, 2)).records).toHaveLength(2);
    expect(feedLogFrame(a, frame('logEnd', { nextSeq: 110 })).requestFrom).toBe(102);
    const idle = createAssembler(7);
    feedLogFrame(idle, frame('logEnd', { nextSeq: 7 }));
    expect(idle.done).toBe(true);
  });

  it('ignores a stale end after a new request, and a request resets the wait for an anchor', () => {
    const a = createAssembler(10);
    feedLogFrame(a, anchor(10));
    feedLogFrame(a, recs(10, 2));
    expect(requested(a)).toBe(12);
    expect(feedLogFrame(a, frame('logEnd', { nextSeq: 20 }))).toEqual({ records: [] });
    expect(feedLogFrame(a, recs(12, 2)).records).toEqual([]);
    feedLogFrame(a, anchor(12));
    expect(feedLogFrame(a, recs(12, 2)).records.map((r) => r.seq)).toEqual([12, 13]);
  });
});
