// nape firmware entry: pick the board, build its ports, start the clip and its BLE side, arm
// the watchdog. Reads like a table of contents; everything else lives in app/ and hal/.
import { createClip, startClip } from './app/clip.ts';
import { createGatt, startGatt } from './app/gatt.ts';
import { boardPorts } from './hal/boards.ts';

/** Watchdog timeout: the clip resets if its main loop stops for this long. */
const WATCHDOG_S = 20;

const board = typeof NAPE_BOARD === 'string' ? NAPE_BOARD : process.env.BOARD;
const ports = boardPorts(board);
const clip = createClip(ports);
const gatt = createGatt(clip);
startGatt(gatt);
startClip(clip);
E.enableWatchdog(WATCHDOG_S, false);
// Kick only while samples keep arriving: a hung accelerometer or I2C bus ends in a clean reset.
let seen = -1;
setInterval(() => {
  if (clip.mn.samples !== seen) {
    seen = clip.mn.samples;
    E.kickWatchdog();
  }
}, 5000);
global.napeClip = clip;
