/**
 * Puts the clip's log stream back together. The clip sends a `logAnchor` (where the records sit
 * in time), then `logRecords` frames, then `logEnd`; Espruino drops a notification silently when
 * its queue is full, so frames can go missing. This reducer places every record in time exactly
 * once, in seq order, and says when to ask again (`syncFrom` the first missing seq). Pure: the
 * sync session (syncSession.ts) feeds it frames and carries out its requests.
 */
import { advanceTimeline, anchorTimeline, createTimeline } from '../../shared/protocol/records.ts';
import type { Timeline, TimedRecord } from '../../shared/protocol/records.ts';
import type { AnyMessage } from '../../shared/protocol/messages.ts';

/** The reassembly state. */
export interface SyncAssembler {
  /** The next seq wanted: every record before it has been placed. */
  expected: number;
  timeline: Timeline;
  /** After a request, frames of the old stream are ignored until the answer's anchor arrives. */
  awaiting: boolean;
  done: boolean;
  /** Requests made (the first one included). */
  requests: number;
  /** Seqs the clip no longer had (torn or overwritten when its log was full). */
  skipped: number;
}

/** What a frame led to. */
export interface AssemblerStep {
  records: TimedRecord[];
  /** Ask again from this seq (a frame was lost). */
  requestFrom?: number;
}

/** A fresh assembler wanting records from `fromSeq`; the caller sends the first request. */
export function createAssembler(fromSeq: number): SyncAssembler {
  return { expected: fromSeq, timeline: createTimeline(), awaiting: true, done: false, requests: 1, skipped: 0 };
}

/** Marks a new request sent from `expected` (after a loss or a silence). */
export function requested(a: SyncAssembler): number {
  a.requests++;
  a.awaiting = true;
  return a.expected;
}

/** Feeds one decoded frame of the log characteristic. */
export function feedLogFrame(a: SyncAssembler, m: AnyMessage): AssemblerStep {
  const none: AssemblerStep = { records: [] };
  if (a.done) return none;
  if (m.name === 'logAnchor') {
    const v = m.value;
    if (v.seq < a.expected) return none;
    a.awaiting = false;
    // Records between expected and the anchor no longer exist on the clip.
    if (v.seq > a.expected) {
      a.skipped += v.seq - a.expected;
      a.expected = v.seq;
    }
    anchorTimeline(a.timeline, v.seq, v.t0S, v.bootId, v.timeFlags, v.corrS);
    return none;
  }
  if (m.name === 'logRecords') {
    const v = m.value;
    if (a.awaiting) return none;
    if (v.firstSeq !== a.expected || !a.timeline.anchored || a.timeline.nextSeq !== a.expected) {
      // A later frame than wanted: one was dropped. An earlier one is a resend already placed.
      return v.firstSeq > a.expected ? { records: [], requestFrom: requested(a) } : none;
    }
    const out: TimedRecord[] = [];
    for (let i = 0; i < v.count; i++) {
      const r = advanceTimeline(a.timeline, a.expected, v.records[i]);
      if (r) out.push(r);
      a.expected++;
    }
    return { records: out };
  }
  if (m.name === 'logEnd') {
    // Nothing after expected: done (the clip answers a request at its newest seq with logEnd alone).
    if (m.value.nextSeq === a.expected) {
      a.done = true;
      return none;
    }
    // An end from before the latest request is stale; otherwise frames were lost before it.
    return a.awaiting ? none : { records: [], requestFrom: requested(a) };
  }
  return none;
}
