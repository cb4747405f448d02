// The board's only notion of time. Nothing in the emulator reads a real clock: timers, watches,
// accelerometer samples, connection events and hardware-timed pulses are tasks on this clock,
// and the test moves it with advance()/runUntil(). Tasks due at the same instant run in the
// order they were scheduled (Espruino's timer list is ordered the same way).

/** A scheduled task. `tag` groups tasks a reset must drop ('realm') from those it must keep ('env'). */
export interface ClockTask {
  readonly atMs: number;
  readonly seq: number;
  readonly tag: string;
  cancelled: boolean;
  readonly run: () => void;
}

/** A discrete-event clock in milliseconds. */
export class VirtualClock {
  private nowValue: number;
  private seq = 0;
  private heap: ClockTask[] = [];

  constructor(startMs = 0) {
    this.nowValue = startMs;
  }

  /** Current virtual time, ms. */
  get nowMs(): number {
    return this.nowValue;
  }

  /** Schedules `run` at `atMs` (never earlier than now). */
  schedule(atMs: number, run: () => void, tag = 'realm'): ClockTask {
    const task: ClockTask = { atMs: Math.max(atMs, this.nowValue), seq: this.seq++, tag, cancelled: false, run };
    this.push(task);
    return task;
  }

  /** Cancels every pending task with this tag. */
  cancelTag(tag: string): void {
    for (const t of this.heap) if (t.tag === tag) t.cancelled = true;
  }

  /** Time of the next pending task, or undefined. */
  nextDueMs(): number | undefined {
    this.dropCancelled();
    return this.heap.length ? this.heap[0].atMs : undefined;
  }

  /** Runs every task due at or before now + ms, in time order, and leaves the clock at now + ms. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new Error('advance(ms): ms must be ≥ 0, got ' + ms);
    const target = this.nowValue + ms;
    for (;;) {
      this.dropCancelled();
      const next = this.heap[0];
      if (!next || next.atMs > target) break;
      this.pop();
      this.nowValue = next.atMs;
      next.run();
    }
    this.nowValue = target;
  }

  /** Runs tasks due now (e.g. events a host-side action just queued). */
  runDue(): void {
    this.advance(0);
  }

  /**
   * Runs tasks one at a time until `predicate()` holds (checked before the first and after each
   * task) or `maxMs` has passed. Returns whether the predicate held; the clock stops right there.
   */
  runUntil(predicate: () => boolean, maxMs: number): boolean {
    const limit = this.nowValue + maxMs;
    if (predicate()) return true;
    for (;;) {
      this.dropCancelled();
      const next = this.heap[0];
      if (!next || next.atMs > limit) {
        this.nowValue = limit;
        return predicate();
      }
      this.pop();
      this.nowValue = next.atMs;
      next.run();
      if (predicate()) return true;
    }
  }

  private dropCancelled(): void {
    while (this.heap.length && this.heap[0].cancelled) this.pop();
  }

  private less(a: ClockTask, b: ClockTask): boolean {
    return a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
  }

  private push(t: ClockTask): void {
    const h = this.heap;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  private pop(): ClockTask | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l], h[m])) m = l;
        if (r < h.length && this.less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}
