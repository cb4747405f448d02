/**
 * Button gestures from raw edges: a long press (held ≥ 1 s) calibrates, a double press (two
 * short presses within 0.5 s) snoozes. A single short press does nothing, so nothing has to
 * wait to find out whether a second press follows.
 */

/** Gesture results. */
export const PRESS_NONE = 0;
export const PRESS_LONG = 1;
export const PRESS_DOUBLE = 2;

const LONG_MS = 1000;
const SHORT_MAX_MS = 600;
const DOUBLE_GAP_MS = 500;

/** Button state: when it went down, when the last short press ended. */
export interface ButtonState {
  downMs: number;
  lastShortUpMs: number;
}

/** A fresh recogniser. */
export const createButton = (): ButtonState => ({ downMs: -1, lastShortUpMs: -1e9 });

/** Feeds one edge; returns PRESS_LONG or PRESS_DOUBLE on the release that completes one. */
export function buttonEdge(b: ButtonState, down: boolean, tMs: number): number {
  if (down) {
    b.downMs = tMs;
    return PRESS_NONE;
  }
  if (b.downMs < 0) return PRESS_NONE;
  const held = tMs - b.downMs;
  b.downMs = -1;
  if (held >= LONG_MS) {
    b.lastShortUpMs = -1e9;
    return PRESS_LONG;
  }
  if (held > SHORT_MAX_MS) return PRESS_NONE;
  if (tMs - b.lastShortUpMs <= DOUBLE_GAP_MS + held) {
    b.lastShortUpMs = -1e9;
    return PRESS_DOUBLE;
  }
  b.lastShortUpMs = tMs;
  return PRESS_NONE;
}
