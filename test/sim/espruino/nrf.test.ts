import { describe, expect, it } from 'vitest';
import { createEspruinoBoard, type EspruinoBoardOptions } from '../../../bridge/sim/espruino/espruinoBoard.ts';

const SVC = '6e400001-b5a3-f393-e0a9-e50e24dcca9e';
const LOG = '6e400003-b5a3-f393-e0a9-e50e24dcca9e';
const CTL = '6e400002-b5a3-f393-e0a9-e50e24dcca9e';
const GATT = `NRF.setServices({
  '${SVC}': {
    '${LOG}': { value: [0], maxLen: 60, notify: true, readable: true },
    '${CTL}': { value: [0], maxLen: 20, writable: true, onWrite: function (e) { global.got = [].slice.call(new Uint8Array(e.data)); global.gotIsAB = e.data instanceof ArrayBuffer; } }
  },
  0x180f: { 0x2a19: { value: [77], readable: true, notify: true } }
}, { advertise: ['180f'] });
global.send = function (n, len) { for (var i = 0; i < n; i++) { var d = new Uint8Array(len || 4); d[0] = i; NRF.updateServices({ '${SVC}': { '${LOG}': { value: d, notify: true } } }); } };
`;
const boot = (code: string, o: Partial<EspruinoBoardOptions> = {}) => {
  const b = createEspruinoBoard({ board: 'PUCKJS', ...o });
  b.load(code);
  return b;
};

describe('NRF and the central API', () => {
  it('normalises UUIDs and exposes the GATT table for discovery', () => {
    const b = boot(GATT);
    const c = b.radio.connect();
    expect(c.services().map((s) => s.uuid).sort()).toEqual(['180f', '6e400001b5a3f393e0a9e50e24dcca9e']);
    expect(c.read('0x180F', 0x2a19)).toEqual(new Uint8Array([77]));
    expect(b.radio.advertising().serviceUuids).toEqual(['180f']);
  });

  it('setServices while connected throws; connect/disconnect events reach the firmware', () => {
    const b = boot(GATT + `global.ev = []; NRF.on('connect', function (a) { ev.push('c ' + a); }); NRF.on('disconnect', function (r) { ev.push('d ' + r); });`);
    const c = b.radio.connect('aa:bb');
    expect(() => b.vm!.run(GATT)).toThrow(/while connected/);
    c.disconnect();
    expect(b.global('ev')).toEqual(['c aa:bb', 'd 19']);
    expect(() => b.vm!.run(GATT)).not.toThrow();
  });

  it('notifies only a connected, subscribed central, at connection events', () => {
    const b = boot(GATT);
    b.vm!.run('send(1)');
    const c = b.radio.connect();
    const got: number[][] = [];
    c.onNotify((_s, _c, bytes) => got.push([...bytes]));
    b.vm!.run('send(1)');
    b.advance(100);
    expect(got).toEqual([]);
    expect(b.radio.unsubscribed).toBe(2);
    c.subscribe(SVC, LOG);
    b.vm!.run('send(2)');
    expect(c.queued).toBe(2);
    expect(got).toEqual([]);
    b.advance(7.5);
    expect(got).toEqual([[0, 0, 0, 0], [1, 0, 0, 0]]);
  });

  it('drops silently when the queue is full and counts it; drains 4 per event', () => {
    const b = boot(GATT, { notifyQueue: 6 });
    const c = b.radio.connect();
    c.subscribe(SVC, LOG);
    const got: number[] = [];
    c.onNotify((_s, _c, bytes) => got.push(bytes[0]));
    b.vm!.run('send(10)');
    expect(b.errors).toEqual([]);
    expect(b.radio.dropped).toBe(4);
    b.advance(7.5);
    expect(got).toEqual([0, 1, 2, 3]);
    b.advance(7.5);
    expect(got).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('truncates notifications longer than MTU−3 and records it; MTU exchange is capped by the board', () => {
    const b = boot(GATT);
    const c = b.radio.connect();
    c.subscribe(SVC, LOG);
    const got: number[] = [];
    c.onNotify((_s, _c, bytes) => got.push(bytes.length));
    b.vm!.run('send(1, 30)');
    b.advance(10);
    expect(got).toEqual([20]);
    expect(b.radio.errors[0].message).toMatch(/exceeds MTU/);
    expect(c.exchangeMtu(247)).toBe(53);
    b.vm!.run('send(1, 50)');
    b.advance(10);
    expect(got).toEqual([20, 50]);
    expect(b.radio.errors).toHaveLength(1);
    expect(() => b.vm!.run('send(1, 61)')).toThrow(/maxLen/);
  });

  it('writes call onWrite with an ArrayBuffer of the realm; non-writable or too long writes fail', () => {
    const b = boot(GATT);
    const c = b.radio.connect();
    c.write(SVC, CTL, [1, 2, 3]);
    expect(b.global('got')).toEqual([1, 2, 3]);
    expect(b.global('gotIsAB')).toBe(true);
    expect(() => c.write(SVC, LOG, [1])).toThrow(/not permitted/);
    expect(() => c.write(SVC, CTL, new Uint8Array(21))).toThrow(/length/);
  });

  it('only notify:true characteristics notify (else recorded); unknown characteristics throw', () => {
    const b = boot(GATT + `NRF.setServices({ 0x180f: { 0x2a19: { value: [1], readable: true } } });`);
    const c = b.radio.connect();
    expect(() => c.subscribe(0x180f, 0x2a19)).toThrow(/does not notify/);
    b.vm!.run(`NRF.updateServices({ 0x180f: { 0x2a19: { value: [2], notify: true } } })`);
    expect(b.radio.errors[0].message).toMatch(/not declared with notify/);
    expect(() => b.vm!.run(`NRF.updateServices({ 0x180f: { 0x2a20: { value: [2] } } })`)).toThrow(/Unable to find/);
  });

  it("'auto' interval: 7.5 ms while busy, 200 ms after a minute idle", () => {
    const b = boot(GATT + `NRF.setConnectionInterval('auto');`);
    b.radio.connect();
    expect(b.radio.intervalMs()).toBe(7.5);
    b.advance(61_000);
    expect(b.radio.intervalMs()).toBe(200);
    b.vm!.run('NRF.setConnectionInterval(50)');
    expect(b.radio.intervalMs()).toBe(50);
  });

  it('enforces the 31-byte advertising packet', () => {
    const b = boot(`global.adv = function (n, showName) { NRF.setAdvertising({}, { manufacturer: 0x0590, manufacturerData: new Uint8Array(n), showName: showName, interval: 1000, connectable: false }); };`);
    expect(() => b.vm!.run('adv(24, false)')).not.toThrow();
    expect(b.radio.advertising()).toMatchObject({ manufacturer: 0x0590, intervalMs: 1000, connectable: false, packetBytes: 31, name: undefined });
    expect(() => b.vm!.run('adv(25, false)')).toThrow(/31/);
    // With the default name 'Puck.js 4e1a' (14 bytes) only 10 bytes are left.
    expect(() => b.vm!.run('adv(10)')).not.toThrow();
    expect(() => b.vm!.run('adv(11)')).toThrow(/31/);
    b.vm!.run('adv(24, false)');
    expect(() => b.radio.connect()).toThrow(/not connectable/);
  });

  it('reports battery volts and security status', () => {
    const b = boot(`global.v = NRF.getBattery(); global.s = NRF.getSecurityStatus().connected;`);
    expect(b.global('v')).toBe(3);
    expect(b.global('s')).toBe(false);
  });

  it('a reset drops the link', () => {
    const b = boot(GATT);
    const c = b.radio.connect();
    const reasons: number[] = [];
    c.onDisconnect((r) => reasons.push(r));
    b.reset('watchdog');
    expect(c.connected).toBe(false);
    expect(reasons).toEqual([8]);
    expect(b.radio.connected).toBe(false);
  });
});
