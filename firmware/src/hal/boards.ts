// Board profiles: which ports each board gets, and its log ring.
import { BOARDS } from '../../../shared/protocol/messages.ts';
import { logGeometry } from '../app/logGeometry.ts';
import type { ImuPort, MotorPort, Ports } from '../app/ports.ts';
import { bangleImu, bangleMotor } from './bangle2.ts';
import { espruinoStorage } from './espruinoStorage.ts';
import { espruinoSystem } from './espruinoSystem.ts';
import { pinMotor } from './motor.ts';
import { mpu6050Imu } from './mpu6050.ts';
import { nrfRadio } from './nrfRadio.ts';
import { pinButton, puckImu } from './puckjs.ts';

/** Wiring of an MDBT42Q clip, overridable with a global NAPE_PINS = {scl, sda, motor} set before the bundle runs. */
export interface MdbtPins {
  scl: Pin;
  sda: Pin;
  motor: Pin;
}

/** The ports of a board by its Espruino name (process.env.BOARD). Throws for boards nape does not know. */
export function boardPorts(board: string): Ports {
  const idx = (BOARDS as readonly string[]).indexOf(board);
  const store = espruinoStorage();
  const ring = logGeometry(board, store);
  const ports = (imu: ImuPort, motor: MotorPort, button: Pin, maxPayload: number): Ports => ({
    board: idx, imu: imu, motor: motor, button: pinButton(button), storage: store,
    radio: nrfRadio(maxPayload, 'nape'), sys: espruinoSystem(true), ring: ring,
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
