// Puck.js v2: the built-in LSM6DS3TR-C accelerometer, a coin motor on FET (D26), BTN.
import type { ButtonPort, ImuPort } from '../app/ports.ts';
import { eventImu } from './eventImu.ts';

/** Raw LSM6DS3TR-C counts per g at the ±4 g range Espruino sets. */
const COUNTS_PER_G = 8192;

/** The Puck's accelerometer: 12.5 Hz worn, 1.6 Hz (accelerometer only, 40 µA) while not worn. */
export function puckImu(): ImuPort {
  return eventImu((emit) => {
    Puck.on('accel', (a) => {
      emit(a.acc.x / COUNTS_PER_G, a.acc.y / COUNTS_PER_G, a.acc.z / COUNTS_PER_G);
    });
  }, (hz: number) => {
    Puck.accelOn(hz);
  }, () => {
    Puck.accelOff();
  });
}

/** A button on `pin`, pressed = high (Puck.js, Bangle.js, MDBT42Q breakout). */
export function pinButton(pin: Pin): ButtonPort {
  return {
    watch: (onEdge: (down: boolean, tMs: number) => void) => {
      setWatch((e) => {
        onEdge(e.state, e.time * 1000);
      }, pin, { edge: 'both', repeat: true, debounce: 25 });
    },
  };
}
