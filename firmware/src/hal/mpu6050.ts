// MDBT42Q + MPU-6050 on I2C: polled at the requested rate; 16384 LSB/g at the default ±2 g.
// The chip runs in its accelerometer-only cycle mode (gyros in standby, temperature sensor off):
// it wakes for one sample at 20 Hz while worn (70 µA instead of 500 µA in normal mode) and at
// 1.25 Hz when calm or not worn (10 µA); each poll reads the latest sample.
import type { ImuPort } from '../app/ports.ts';

const ADDR = 0x68;
const PWR_MGMT_1 = 0x6b;
const PWR_MGMT_2 = 0x6c;
const ACCEL_XOUT_H = 0x3b;
/** PWR_MGMT_1: CYCLE | TEMP_DIS, internal oscillator, not asleep. */
const CYCLE = 0x28;
/** PWR_MGMT_2: gyros in standby, and LP_WAKE_CTRL (bits 7–6) 0 = 1.25 Hz or 2 = 20 Hz. */
const STBY_GYROS = 0x07;
const WAKE_1_25HZ = 0x00;
const WAKE_20HZ = 0x80;
const LOW_HZ = 1.25;
const LSB_PER_G = 16384;

function s16(b: Uint8Array, i: number): number {
  const v = (b[i] << 8) | b[i + 1];
  return v > 32767 ? v - 65536 : v;
}

/** The MPU-6050 on I2C1 with the given pins. */
export function mpu6050Imu(scl: Pin, sda: Pin): ImuPort {
  let timer = -1;
  return {
    lowPowerHz: LOW_HZ,
    start: (hz: number, onSample: (x: number, y: number, z: number) => void) => {
      if (timer >= 0) clearInterval(timer);
      I2C1.setup({ scl: scl, sda: sda, bitrate: 400000 });
      I2C1.writeTo(ADDR, [PWR_MGMT_2, STBY_GYROS | (hz > LOW_HZ ? WAKE_20HZ : WAKE_1_25HZ)]);
      I2C1.writeTo(ADDR, [PWR_MGMT_1, CYCLE]);
      timer = setInterval(() => {
        I2C1.writeTo(ADDR, ACCEL_XOUT_H);
        const b = I2C1.readFrom(ADDR, 6);
        onSample(s16(b, 0) / LSB_PER_G, s16(b, 2) / LSB_PER_G, s16(b, 4) / LSB_PER_G);
      }, 1000 / hz);
    },
    stop: () => {
      if (timer < 0) return;
      clearInterval(timer);
      timer = -1;
    },
  };
}
