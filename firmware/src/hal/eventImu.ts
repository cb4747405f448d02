// An accelerometer that delivers events (Puck.js, Bangle.js): the listener is attached once and
// the rate changed in place, so switching between worn and not-worn rates allocates nothing.
import type { ImuPort } from '../app/ports.ts';

/** `attach` hooks the board's event once; `setRate` starts or re-rates it; `off` stops it. */
export function eventImu(
  attach: (emit: (x: number, y: number, z: number) => void) => void,
  setRate: (hz: number) => void,
  off: () => void,
): ImuPort {
  let cb: ((x: number, y: number, z: number) => void) | null = null;
  let attached = false;
  return {
    lowPowerHz: 1.6,
    start: (hz: number, onSample: (x: number, y: number, z: number) => void) => {
      cb = onSample;
      if (!attached) {
        attached = true;
        attach((x: number, y: number, z: number) => {
          if (cb) cb(x, y, z);
        });
      }
      setRate(hz);
    },
    stop: () => {
      cb = null;
      off();
    },
  };
}
