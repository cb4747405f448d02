// SystemPort on Espruino: clock, battery, watchdog, error flags, reset reason, timers.
import type { SystemPort } from '../app/ports.ts';

/** nRF52 POWER->RESETREAS: pin reset, watchdog, soft reset, CPU lockup. */
const RESETREAS = 0x40000400;

/** Maps RESETREAS bits to an index into RESET_REASONS (powerOn, watchdog, software, pin, lockup, unknown). */
export function resetReasonFrom(bits: number): number {
  if (bits & 2) return 1;
  if (bits & 4) return 2;
  if (bits & 1) return 3;
  if (bits & 8) return 4;
  return bits ? 5 : 0;
}

/** The system port; `hasResetReg` is false on boards without nRF52 registers. */
export function espruinoSystem(hasResetReg: boolean): SystemPort {
  return {
    nowMs: () => {
      return getTime() * 1000;
    },
    setClock: (unixS: number, tzOffsetMin: number) => {
      setTime(unixS);
      E.setTimeZone(tzOffsetMin / 60);
    },
    // Native functions as they are, not wrapped: a wrapper closure costs RAM on the clip.
    batteryPct: E.getBattery,
    kickWatchdog: E.kickWatchdog,
    onErrorFlags: (cb: (flags: string[]) => void) => {
      E.on('errorFlag', (flags: string[]) => {
        E.getErrorFlags();
        cb(flags);
      });
    },
    resetReason: () => {
      return hasResetReg ? resetReasonFrom(peek32(RESETREAS)) : 5;
    },
    setTimeout: setTimeout,
    setInterval: setInterval,
    clearTimer: clearTimeout,
  };
}
