// RadioPort on Espruino's NRF: the nape GATT service, the Battery Service and advertising.
import { BATTERY_LEVEL, BATTERY_SERVICE, CHARACTERISTICS, COMPANY_ID, napeUuid } from '../../../shared/protocol/uuids.ts';
import type { GattName } from '../../../shared/protocol/uuids.ts';
import type { RadioPort } from '../app/ports.ts';

type Chars = { [ch: string]: NrfCharacteristic };

/**
 * Advertising interval (ms). Connectable advertising costs ~40 µA at 375 ms, scaled by the
 * interval: 2 s keeps it under 10 µA, and a bridge still finds the clip within a few seconds.
 */
const ADV_INTERVAL_MS = 2000;
type Update = { value: BleValue; notify?: boolean };

/** The radio; `maxPayload` is the largest notification the board's stack allows after MTU exchange. */
export function nrfRadio(maxPayload: number, name: string): RadioPort {
  const svc = napeUuid('service');
  const battery = '0x' + BATTERY_SERVICE;
  const level = '0x' + BATTERY_LEVEL;
  // The nape characteristics in table order (the order fixes their GATT handles). UUIDs are
  // built when needed rather than kept: each 36-character string costs RAM on the clip.
  const chars = Object.keys(CHARACTERISTICS) as (keyof typeof CHARACTERISTICS)[];
  let adv = new Uint8Array(0);
  const advertiseNow = (): void => {
    NRF.setAdvertising({}, { name: name, manufacturer: COMPANY_ID, manufacturerData: adv, connectable: true, interval: ADV_INTERVAL_MS });
  };
  const update = (s: string, ch: string, v: Update): void => {
    const u: { [svc: string]: { [ch: string]: Update } } = {};
    u[s] = {};
    u[s][ch] = v;
    NRF.updateServices(u);
  };
  return {
    maxPayload: maxPayload,
    start: (onWrite: (ch: 'control' | 'config', data: Uint8Array) => void, onConnect: (connected: boolean) => void) => {
      const napeSvc: Chars = {};
      chars.forEach((ch) => {
        const d = CHARACTERISTICS[ch];
        const c: NrfCharacteristic = { value: [0], maxLen: d.maxLen };
        if (d.read) c.readable = true;
        if (d.write) {
          c.writable = true;
          c.onWrite = (e: { data: ArrayBuffer }) => {
            onWrite(ch as 'control' | 'config', new Uint8Array(e.data));
          };
        }
        if (d.notify) c.notify = true;
        napeSvc[napeUuid(ch as GattName)] = c;
      });
      const services: { [svc: string]: Chars } = {};
      services[svc] = napeSvc;
      services[battery] = {};
      services[battery][level] = { value: [E.getBattery()], readable: true, notify: true };
      NRF.setServices(services, {});
      NRF.on('connect', () => {
        onConnect(true);
      });
      NRF.on('disconnect', () => {
        onConnect(false);
      });
      advertiseNow();
    },
    setValue: (ch: 'info' | 'config' | 'battery', data: Uint8Array) => {
      if (ch === 'battery') update(battery, level, { value: data });
      else update(svc, napeUuid(ch), { value: data });
    },
    notify: (ch: 'control' | 'log' | 'live', data: Uint8Array) => {
      update(svc, napeUuid(ch), { value: data, notify: true });
    },
    advertise: (data: Uint8Array) => {
      adv = data;
      advertiseNow();
    },
    setPace: (fast: boolean) => {
      NRF.setConnectionInterval(fast ? 7.5 : 'auto');
    },
  };
}
