// Bangle.js 2: its accelerometer events (g) and its own vibration motor.
import type { ImuPort, MotorPort } from '../app/ports.ts';
import { eventImu } from './eventImu.ts';

/** The Bangle's accelerometer, polled every 80 ms worn and 625 ms (1.6 Hz) not worn. */
export function bangleImu(): ImuPort {
  return eventImu((emit) => {
    Bangle.on('accel', (a) => {
      emit(a.x, a.y, a.z);
    });
  }, (hz: number) => {
    Bangle.setPollInterval(1000 / hz);
  }, () => {});
}

/** The Bangle's motor: Bangle.buzz per on-phase, strength 0..1. */
export function bangleMotor(): MotorPort {
  return {
    play: (pattern: number[], strengthPct: number) => {
      let i = 0;
      function next(): void {
        if (i >= pattern.length) return;
        const ms = pattern[i];
        if (i % 2 === 0) Bangle.buzz(ms, strengthPct / 100);
        i++;
        setTimeout(next, ms);
      }
      next();
    },
  };
}
