// Board profiles: which ports each board gets and how much Storage its log may use.
import { BOARDS } from '../../../shared/protocol/messages.ts';
import type { ImuPort, MotorPort, Ports, StoragePort } from '../app/ports.ts';
import { bangleImu, bangleMotor } from './bangle2.ts';
import { espruinoStorage } from './espruinoStorage.ts';
import { espruinoSystem } from './espruinoSystem.ts';
import { pinMotor } from './motor.ts';
import { mpu6050Imu } from './mpu6050.ts';
import { nrfRadio } from './nrfRadio.ts';
import { pinButton, puckImu } from './puckjs.ts';

/** Log geometry: blocks of `blockBytes` in Storage. */
export interface LogGeometry {
  blocks: number;
  blockBytes: number;
}

/** Wiring of an MDBT42Q clip, overridable with a global NAPE_PINS = {scl, sda, motor} set before the bundle runs. */
export interface MdbtPins {
  scl: Pin;
  sda: Pin;
  motor: Pin;
}

/** Storage kept free for settings, calibration, the boot counter and compaction. */
const RESERVE_BYTES = 1536;
/** Each Storage file costs a 32-byte header. */
const FILE_HEADER = 32;

/**
 * The log ring: as many blocks as the Storage beside the firmware holds (at most 11 × 2 KB on a
 * Puck.js or MDBT42Q, 64 × 4 KB on a Bangle.js 2). Blocks already allocated always count, so
 * the ring keeps its size across boots.
 */
export function logGeometry(board: string, storage: StoragePort): LogGeometry {
  const bangle = board === 'BANGLEJS2';
  const blockBytes = bangle ? 4096 : 2048;
  const maxBlocks = bangle ? 64 : 11;
  const existing = storage.list('nlog');
  let have = 0;
  for (let i = 0; i < existing.length; i++) {
    const n = parseInt(existing[i].substr(4), 10);
    if (n + 1 > have) have = n + 1;
  }
  const fit = have + Math.floor((storage.getFree() - RESERVE_BYTES) / (blockBytes + FILE_HEADER));
  const blocks = fit > maxBlocks ? maxBlocks : fit < 3 ? 3 : fit;
  return { blocks: blocks, blockBytes: blockBytes };
}

/** The ports of a board by its Espruino name (process.env.BOARD). Throws for boards nape does not know. */
export function boardPorts(board: string): Ports {
  const idx = (BOARDS as readonly string[]).indexOf(board);
  const store = espruinoStorage();
  const g = logGeometry(board, store);
  const ports = (imu: ImuPort, motor: MotorPort, button: Pin, maxPayload: number): Ports => ({
    board: idx, imu: imu, motor: motor, button: pinButton(button), storage: store,
    radio: nrfRadio(maxPayload, 'nape'), sys: espruinoSystem(true), logBytes: g.blocks * g.blockBytes,
  });
  if (board === 'PUCKJS') return ports(puckImu(), pinMotor(FET), BTN, 50);
  if (board === 'MDBT42Q') {
    const custom = global.NAPE_PINS as MdbtPins | undefined;
    const pins: MdbtPins = custom || { scl: 14, sda: 15, motor: 25 };
    return ports(mpu6050Imu(pins.scl, pins.sda), pinMotor(pins.motor), BTN, 50);
  }
  if (board === 'BANGLEJS2') return ports(bangleImu(), bangleMotor(), BTN1, 125);
  throw new Error('nape: unknown board ' + board + ' (known: PUCKJS, MDBT42Q, BANGLEJS2)');
}
