// MDBT42Q + MPU-6050 on I2C: polled at the requested rate; 16384 LSB/g at the default ±2 g.
import type { ImuPort } from '../app/ports.ts';

const ADDR = 0x68;
const PWR_MGMT_1 = 0x6b;
const PWR_MGMT_2 = 0x6c;
const ACCEL_XOUT_H = 0x3b;
const LSB_PER_G = 16384;

function s16(b: Uint8Array, i: number): number {
  const v = (b[i] << 8) | b[i + 1];
  return v > 32767 ? v - 65536 : v;
}

/** The MPU-6050 on I2C1 with the given pins. */
export function mpu6050Imu(scl: Pin, sda: Pin): ImuPort {
  let timer = -1;
  return {
    lowPowerHz: 1.6,
    start: (hz: number, onSample: (x: number, y: number, z: number) => void) => {
      if (timer >= 0) clearInterval(timer);
      I2C1.setup({ scl: scl, sda: sda, bitrate: 400000 });
      // Wake it (sleep bit off, internal oscillator) with the gyros in standby: the accelerometer alone draws ~0.5 mA.
      I2C1.writeTo(ADDR, [PWR_MGMT_1, 0]);
      I2C1.writeTo(ADDR, [PWR_MGMT_2, 7]);
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
