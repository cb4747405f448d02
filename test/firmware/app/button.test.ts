import { describe, expect, it } from 'vitest';
import { buttonEdge, createButton, PRESS_DOUBLE, PRESS_LONG, PRESS_NONE } from '../../../firmware/src/app/button.ts';

/** Presses: [downAtMs, upAtMs] pairs → the gestures recognised on each release. */
function gestures(presses: [number, number][]): number[] {
  const b = createButton();
  const out: number[] = [];
  for (const [down, up] of presses) {
    expect(buttonEdge(b, true, down)).toBe(PRESS_NONE);
    out.push(buttonEdge(b, false, up));
  }
  return out;
}

describe('button gestures', () => {
  it('recognises a long press on release after holding ≥ 1 s', () => {
    expect(gestures([[0, 1200]])).toEqual([PRESS_LONG]);
    expect(gestures([[0, 900]])).toEqual([PRESS_NONE]);
  });

  it('recognises two short presses within half a second as a double press', () => {
    expect(gestures([[0, 120], [400, 520]])).toEqual([PRESS_NONE, PRESS_DOUBLE]);
    expect(gestures([[0, 120], [800, 900]])).toEqual([PRESS_NONE, PRESS_NONE]);
  });

  it('does not chain a third press into another double, nor count a long press as half of one', () => {
    expect(gestures([[0, 100], [300, 400], [600, 700]])).toEqual([PRESS_NONE, PRESS_DOUBLE, PRESS_NONE]);
    expect(gestures([[0, 1500], [1700, 1800]])).toEqual([PRESS_LONG, PRESS_NONE]);
  });

  it('ignores a release without a press (bounce at boot)', () => {
    const b = createButton();
    expect(buttonEdge(b, false, 50)).toBe(PRESS_NONE);
  });
});
