// Motor driving shared by the boards wired to a pin: hardware-timed pulses at full strength,
// PWM through timers when a weaker buzz is asked for.
import type { MotorPort } from '../app/ports.ts';

const PWM_HZ = 200;

/** A vibration motor switched by `pin` (through the Puck's FET or a transistor). */
export function pinMotor(pin: Pin): MotorPort {
  let busy = 0;
  return {
    play: (pattern: number[], strengthPct: number) => {
      if (strengthPct >= 100) {
        digitalPulse(pin, 1, pattern);
        return;
      }
      busy++;
      const run = busy;
      const duty = strengthPct / 100;
      let i = 0;
      function next(): void {
        if (run !== busy) return;
        if (i >= pattern.length) {
          digitalWrite(pin, 0);
          return;
        }
        if (i % 2 === 0) analogWrite(pin, duty, { freq: PWM_HZ });
        else digitalWrite(pin, 0);
        setTimeout(next, pattern[i++]);
      }
      next();
    },
  };
}
