// What differs between the three boards nape runs on (espruino.md "Boards"). Pin globals are
// only those the board defines: FET exists on Puck.js only, LEDs only where there are LEDs, so
// firmware that uses a pin its board lacks fails here with a ReferenceError as on the clip.
// Every board defines D0–D31.

/** Board names as `process.env.BOARD` reports them. */
export type BoardName = 'PUCKJS' | 'MDBT42Q' | 'BANGLEJS2';

/** Static facts of a board. */
export interface BoardProfile {
  name: BoardName;
  /** Espruino variables (13-byte blocks). */
  variables: number;
  storageBytes: number;
  /** Largest ATT MTU the board's stack accepts. */
  mtuMax: number;
  /** Advertised name before the firmware sets one. */
  bleName: string;
  /** Pin globals besides D0–D31. */
  pins: Record<string, number>;
  /** Pin the vibration motor hangs on (Bangle.js 2: the built-in motor's pin). */
  motorPin: number;
  /** Battery volts at 0% and 100% (CR2032 on Puck.js/MDBT42Q, LiPo on Bangle.js 2). */
  batteryV: [number, number];
  /** Battery capacity, mAh, for draining. */
  batteryMah: number;
}

/** The three boards. MDBT42Q's motor GPIO is a choice of the hardware guide (default D25). */
export const BOARD_PROFILES: Record<BoardName, BoardProfile> = {
  PUCKJS: {
    name: 'PUCKJS', variables: 2630, storageBytes: 40 * 1024, mtuMax: 53, bleName: 'Puck.js 4e1a',
    pins: { BTN: 0, BTN1: 0, FET: 26, LED1: 5, LED2: 4, LED3: 3 }, motorPin: 26, batteryV: [2.0, 3.0], batteryMah: 220,
  },
  MDBT42Q: {
    name: 'MDBT42Q', variables: 2950, storageBytes: 40 * 1024, mtuMax: 53, bleName: 'MDBT42Q 4e1a',
    pins: { BTN: 0, BTN1: 0, LED1: 1 }, motorPin: 25, batteryV: [2.0, 3.0], batteryMah: 220,
  },
  BANGLEJS2: {
    name: 'BANGLEJS2', variables: 12000, storageBytes: 8 * 1024 * 1024, mtuMax: 131, bleName: 'Bangle.js 4e1a',
    pins: { BTN: 17, BTN1: 17 }, motorPin: 19, batteryV: [3.3, 4.2], batteryMah: 200,
  },
};
