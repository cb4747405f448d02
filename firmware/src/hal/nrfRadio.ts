// RadioPort on Espruino's NRF: the nape GATT service, the Battery Service and advertising.
import { BATTERY_LEVEL, BATTERY_SERVICE, CHARACTERISTICS, COMPANY_ID, napeUuid } from '../../../shared/protocol/uuids.ts';
import type { RadioPort } from '../app/ports.ts';

/** The radio; `maxPayload` is the largest notification the board's stack allows after MTU exchange. */
export function nrfRadio(maxPayload: number, name: string): RadioPort {
  const svc = napeUuid('service');
  const uuids = { info: napeUuid('info'), control: napeUuid('control'), config: napeUuid('config'), log: napeUuid('log'), live: napeUuid('live') };
  let adv = new Uint8Array(0);
  function advertiseNow(): void {
    NRF.setAdvertising({}, { name: name, manufacturer: COMPANY_ID, manufacturerData: adv, connectable: true, interval: 600 });
  }
  return {
    maxPayload: maxPayload,
    start: function (onWrite: (ch: 'control' | 'config', data: Uint8Array) => void, onConnect: (connected: boolean) => void) {
      const napeSvc: { [ch: string]: NrfCharacteristic } = {};
      napeSvc[uuids.info] = { value: [0], maxLen: CHARACTERISTICS.info.maxLen, readable: true };
      napeSvc[uuids.control] = { value: [0], maxLen: CHARACTERISTICS.control.maxLen, writable: true, notify: true,
        onWrite: function (e: { data: ArrayBuffer }) { onWrite('control', new Uint8Array(e.data)); } };
      napeSvc[uuids.config] = { value: [0], maxLen: CHARACTERISTICS.config.maxLen, readable: true, writable: true,
        onWrite: function (e: { data: ArrayBuffer }) { onWrite('config', new Uint8Array(e.data)); } };
      napeSvc[uuids.log] = { value: [0], maxLen: CHARACTERISTICS.log.maxLen, notify: true };
      napeSvc[uuids.live] = { value: [0], maxLen: CHARACTERISTICS.live.maxLen, notify: true };
      const services: { [svc: string]: { [ch: string]: NrfCharacteristic } } = {};
      services[svc] = napeSvc;
      const battery: { [ch: string]: NrfCharacteristic } = {};
      battery['0x' + BATTERY_LEVEL] = { value: [E.getBattery()], readable: true, notify: true };
      services['0x' + BATTERY_SERVICE] = battery;
      NRF.setServices(services, {});
      NRF.on('connect', function () { onConnect(true); });
      NRF.on('disconnect', function () { onConnect(false); });
      advertiseNow();
    },
    setValue: function (ch: 'info' | 'config' | 'battery', data: Uint8Array) {
      const u: { [svc: string]: { [ch: string]: { value: BleValue } } } = {};
      if (ch === 'battery') {
        u['0x' + BATTERY_SERVICE] = {};
        u['0x' + BATTERY_SERVICE]['0x' + BATTERY_LEVEL] = { value: data };
      } else {
        u[svc] = {};
        u[svc][uuids[ch]] = { value: data };
      }
      NRF.updateServices(u);
    },
    notify: function (ch: 'control' | 'log' | 'live', data: Uint8Array) {
      const u: { [svc: string]: { [ch: string]: { value: BleValue; notify: boolean } } } = {};
      u[svc] = {};
      u[svc][uuids[ch]] = { value: data, notify: true };
      NRF.updateServices(u);
    },
    advertise: function (data: Uint8Array) {
      adv = data;
      advertiseNow();
    },
    setPace: function (fast: boolean) {
      NRF.setConnectionInterval(fast ? 7.5 : 'auto');
    },
  };
}
