// The simulated radio under the REAL noble: noble built on SimBindings talks to virtual clips
// (the built firmware on the Espruino emulator, worn by the motion generator).
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { Characteristic, Peripheral } from '@abandonware/noble';
import type withBindingsFn from '@abandonware/noble/with-bindings';
import { CONNECT_FAILED_MESSAGE, createSimRadio } from '../../../bridge/ble/sim/simRadio.ts';
import type { SimRadio, SimRadioOptions } from '../../../bridge/ble/sim/simRadio.ts';
import { decode, encode, isDecodeError, recordsPerFrame } from '../../../shared/protocol/codec.ts';
import type { DecodeResult } from '../../../shared/protocol/codec.ts';
import type { AnyMessage } from '../../../shared/protocol/messages.ts';
import { BATTERY_LEVEL, BATTERY_SERVICE, COMPANY_ID, nobleUuid } from '../../../shared/protocol/uuids.ts';

const require = createRequire(import.meta.url);
const withBindings = require('@abandonware/noble/with-bindings') as typeof withBindingsFn;
type Noble = ReturnType<typeof withBindingsFn>;

const SVC = nobleUuid('service');
const MINUTE = 60_000;

/** Two clips (a Puck.js walking to work, a Bangle.js 2 on the phone) and noble on their radio, powered on. */
async function setup(o: Partial<SimRadioOptions> = {}): Promise<{ radio: SimRadio; noble: Noble; ids: string[] }> {
  const radio = await createSimRadio({
    seed: 7,
    clips: [
      { id: 'puck', board: 'PUCKJS', scenario: 'walking-commute', rssiDbm: -55 },
      { id: 'bangle', board: 'BANGLEJS2', scenario: 'phone-heavy', rssiDbm: -80 },
    ],
    ...o,
  });
  const noble = withBindings(radio.bindings);
  await new Promise<void>((resolve) => noble.on('stateChange', (s: string) => {
    if (s === 'poweredOn') resolve();
  }));
  return { radio, noble, ids: [...radio.clips.keys()] };
}

/** Scans until every clip was heard; returns the peripherals by id. */
async function scanAll(radio: SimRadio, noble: Noble): Promise<Map<string, Peripheral>> {
  const found = new Map<string, Peripheral>();
  const onDiscover = (p: Peripheral) => found.set(p.id, p);
  noble.on('discover', onDiscover);
  noble.startScanning([], false);
  await radio.advanceUntil(() => found.size === radio.clips.size, 10_000);
  noble.stopScanning();
  noble.removeListener('discover', onDiscover);
  return found;
}

/** Connects and discovers the nape and battery services; returns the characteristics by UUID. */
async function open(radio: SimRadio, p: Peripheral): Promise<Map<string, Characteristic>> {
  await radio.settle(p.connectAsync(), 10_000);
  const { characteristics } = await radio.settle(p.discoverSomeServicesAndCharacteristicsAsync([SVC, BATTERY_SERVICE], []), 5_000);
  return new Map(characteristics.map((c) => [c.uuid, c]));
}

const ok = (r: DecodeResult): AnyMessage => {
  if (isDecodeError(r)) throw new Error('decode: ' + r.error + ' ' + r.message);
  return r;
};

describe('SimBindings under noble', () => {
  it('powers on, and a scan finds both clips: name, Espruino manufacturer data holding the adv message, RSSI', async () => {
    const { radio, noble } = await setup();
    const found = await scanAll(radio, noble);
    expect([...found.keys()].sort()).toEqual(['bangle', 'puck']);
    for (const [id, p] of found) {
      expect(p.advertisement.localName).toBe('nape');
      expect(p.connectable).toBe(true);
      expect(p.addressType).toBe('random');
      expect(p.address).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
      const md = p.advertisement.manufacturerData;
      expect(Buffer.isBuffer(md)).toBe(true);
      expect(md.readUInt16LE(0)).toBe(COMPANY_ID);
      const adv = ok(decode(md.subarray(2), ['adv']));
      expect(adv.name).toBe('adv');
      if (adv.name === 'adv') expect(adv.value.batteryPct).toBe(100);
      const base = id === 'puck' ? -55 : -80;
      expect(Math.abs(p.rssi - base)).toBeLessThanOrEqual(3);
    }
    // Advertising every 2 s (the firmware's interval): both heard within one interval or so.
    expect(radio.nowMs).toBeLessThan(2_100);
    radio.stop();
  });

  it('allowDuplicates reports every advertising packet; without it each clip once per scan', async () => {
    const { radio, noble } = await setup();
    const heard: string[] = [];
    radio.bindings.on('discover', (id: string) => heard.push(id));
    noble.startScanning([], true);
    await radio.advanceAsync(20_000);
    expect(heard.filter((id) => id === 'puck').length).toBeGreaterThanOrEqual(9);
    noble.stopScanning();
    heard.length = 0;
    noble.startScanning([], false);
    await radio.advanceAsync(20_000);
    expect(heard.sort()).toEqual(['bangle', 'puck']);
    // A filter on the nape service UUID finds nothing: the firmware does not advertise it.
    noble.stopScanning();
    heard.length = 0;
    noble.startScanning([SVC], true);
    await radio.advanceAsync(5_000);
    expect(heard).toEqual([]);
    radio.stop();
  });

  it('connects: MTU exchanged, nape and battery services discovered, info read and decoded', async () => {
    const { radio, noble } = await setup({ centralMtu: 100 });
    const found = await scanAll(radio, noble);
    const mtus: [string, number][] = [];
    radio.bindings.on('onMtu', (id: string, mtu: number) => mtus.push([id, mtu]));
    for (const id of ['puck', 'bangle']) {
      const p = found.get(id)!;
      const chars = await open(radio, p);
      expect(p.state).toBe('connected');
      expect(radio.clips.get(id)!.connected).toBe(true);
      // min(central 100, Puck.js 53 | Bangle.js 2 131)
      expect(p.mtu).toBe(id === 'puck' ? 53 : 100);
      expect(p.services.map((s) => s.uuid).sort()).toEqual([BATTERY_SERVICE, SVC].sort());
      for (const name of ['info', 'control', 'config', 'log', 'live'] as const) expect(chars.has(nobleUuid(name))).toBe(true);
      expect(chars.get(nobleUuid('log'))!.properties).toEqual(['notify']);
      expect(chars.get(nobleUuid('control'))!.properties).toEqual(['write', 'notify']);
      expect(chars.has(BATTERY_LEVEL)).toBe(true);
      const info = ok(decode(await radio.settle(chars.get(nobleUuid('info'))!.readAsync(), 2_000), ['info']));
      expect(info.name).toBe('info');
      if (info.name === 'info') {
        expect([info.value.fwMajor, info.value.fwMinor]).toEqual([0, 1]);
        expect(info.value.uptimeS).toBeGreaterThanOrEqual(1);
        expect(info.value.batteryPct).toBe(100);
      }
      const level = await radio.settle(chars.get(BATTERY_LEVEL)!.readAsync(), 2_000);
      expect([...level]).toEqual([100]);
    }
    expect(mtus).toEqual([['puck', 53], ['bangle', 100]]);
    // The central disconnects: noble hears 0x16, the clip's firmware hears it too and advertises again.
    const p = found.get('puck')!;
    const reason = await radio.settle(new Promise<unknown>((resolve) => {
      p.once('disconnect', resolve);
      p.disconnect();
    }), 2_000);
    expect(reason).toBe(0x16);
    expect(radio.clips.get('puck')!.board.radio.connected).toBe(false);
    expect(radio.clips.get('puck')!.board.radio.advertising().on).toBe(true);
    radio.stop();
  });

  it('after 30 simulated minutes worn, a syncFrom brings logAnchor, logRecords and logEnd frames', async () => {
    const { radio, noble } = await setup();
    radio.advance(30 * MINUTE);
    const clip = radio.clips.get('puck')!;
    expect(clip.board.errors).toEqual([]);
    const p = (await scanAll(radio, noble)).get('puck')!;
    const chars = await open(radio, p);
    const log = chars.get(nobleUuid('log'))!;
    const control = chars.get(nobleUuid('control'))!;
    const frames: AnyMessage[] = [];
    const results: AnyMessage[] = [];
    log.on('data', (data: Buffer, isNotification: boolean) => {
      expect(isNotification).toBe(true);
      frames.push(ok(decode(data, ['log'])));
    });
    control.on('data', (data: Buffer) => results.push(ok(decode(data, ['result']))));
    await radio.settle(log.subscribeAsync(), 2_000);
    await radio.settle(control.subscribeAsync(), 2_000);
    const perFrame = recordsPerFrame(p.mtu!);
    await radio.settle(control.writeAsync(Buffer.from(encode('syncFrom', { seq: 0, maxRecords: perFrame })), false), 2_000);
    const ended = await radio.advanceUntil(() => frames.some((f) => f.name === 'logEnd'), 60_000);
    expect(ended).toBe(true);
    expect(results.map((r) => r.name === 'result' && r.value.code)).toEqual([0]);
    expect(frames[0].name).toBe('logAnchor');
    const end = frames[frames.length - 1];
    expect(end.name).toBe('logEnd');
    // Records arrive in seq order, each once, up to logEnd.nextSeq.
    let seq = 0;
    for (const f of frames) {
      if (f.name !== 'logRecords') continue;
      expect(f.value.firstSeq).toBe(seq);
      expect(f.value.count).toBeLessThanOrEqual(perFrame);
      seq += f.value.count;
    }
    if (end.name === 'logEnd') expect(seq).toBe(end.value.nextSeq);
    // ~one summary per worn minute since calibration, plus events.
    expect(seq).toBeGreaterThanOrEqual(20);
    expect(clip.stats.notificationsForwarded).toBe(frames.length + results.length);
    radio.stop();
  });

  it('link loss mid-sync: noble hears disconnect (0x08) after the supervision timeout and nothing after the loss; the clip can be reached again', async () => {
    const { radio, noble } = await setup();
    radio.advance(20 * MINUTE);
    const p = (await scanAll(radio, noble)).get('puck')!;
    const chars = await open(radio, p);
    const log = chars.get(nobleUuid('log'))!;
    const control = chars.get(nobleUuid('control'))!;
    const frames: { atMs: number; msg: AnyMessage }[] = [];
    log.on('data', (data: Buffer) => frames.push({ atMs: radio.nowMs, msg: ok(decode(data, ['log'])) }));
    await radio.settle(log.subscribeAsync(), 2_000);
    await radio.settle(control.subscribeAsync(), 2_000);
    // One record per frame: a sync slow enough to cut in the middle.
    await radio.settle(control.writeAsync(Buffer.from(encode('syncFrom', { seq: 0, maxRecords: 1 })), false), 2_000);
    await radio.advanceUntil(() => frames.filter((f) => f.msg.name === 'logRecords').length >= 3, 10_000);
    let reason: unknown;
    let downAt = 0;
    p.once('disconnect', (r: unknown) => {
      reason = r;
      downAt = radio.nowMs;
    });
    expect(radio.linkLoss('puck')).toBe(true);
    const lostAt = radio.nowMs;
    const before = frames.length;
    await radio.advanceUntil(() => reason !== undefined, 5_000);
    expect(reason).toBe(0x08);
    expect(downAt - lostAt).toBeGreaterThanOrEqual(420);
    expect(downAt - lostAt).toBeLessThan(440);
    expect(frames.length).toBe(before);
    expect(frames.some((f) => f.msg.name === 'logEnd')).toBe(false);
    expect(p.state).toBe('disconnected');
    expect(radio.clips.get('puck')!.stats.notificationsLost).toBeGreaterThan(0);
    // The clip's firmware noticed too (its own supervision timeout) and advertises again.
    await radio.advanceAsync(1_000);
    expect(radio.clips.get('puck')!.board.radio.connected).toBe(false);
    await open(radio, p);
    expect(p.state).toBe('connected');
    radio.stop();
  });

  it('a refused connection reaches noble\'s connect callback as an error; the next attempt connects', async () => {
    const { radio, noble } = await setup();
    const p = (await scanAll(radio, noble)).get('bangle')!;
    radio.refuseConnections('bangle', 1);
    const err = await radio.settle(new Promise<unknown>((resolve) => p.connect((e: unknown) => resolve(e))), 10_000);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe(CONNECT_FAILED_MESSAGE);
    expect(p.state).toBe('error');
    await radio.settle(p.connectAsync(), 10_000);
    expect(p.state).toBe('connected');
    radio.stop();
  });

  it('a hung connection attempt never answers until cancelled; the next attempt connects', async () => {
    const { radio, noble } = await setup();
    const p = (await scanAll(radio, noble)).get('puck')!;
    radio.hang('puck', 'connect');
    let answered: unknown = 'no';
    p.connect((e: unknown) => {
      answered = e;
    });
    await radio.advanceAsync(20_000);
    expect(answered).toBe('no');
    p.cancelConnect();
    expect(answered).toBeInstanceOf(Error);
    await radio.settle(p.connectAsync(), 10_000);
    expect(p.state).toBe('connected');
    radio.stop();
  });

  it('a clip that resets while connected: noble hears 0x08 after the supervision timeout', async () => {
    const { radio, noble } = await setup();
    const p = (await scanAll(radio, noble)).get('puck')!;
    await open(radio, p);
    let reason: unknown;
    p.once('disconnect', (r: unknown) => {
      reason = r;
    });
    const board = radio.clips.get('puck')!.board;
    const at = radio.nowMs;
    board.reset('watchdog');
    await radio.advanceUntil(() => reason !== undefined, 2_000);
    expect(reason).toBe(0x08);
    expect(radio.nowMs - at).toBeGreaterThanOrEqual(420 - 7.5);
    expect(board.resets.map((r) => r.kind)).toEqual(['powerOn', 'watchdog']);
    await radio.settle(p.connectAsync(), 10_000);
    expect(p.state).toBe('connected');
    radio.stop();
  });

  it('garbage notifications arrive on the log characteristic as data (the decoder rejects them)', async () => {
    const { radio, noble } = await setup();
    const p = (await scanAll(radio, noble)).get('puck')!;
    const log = (await open(radio, p)).get(nobleUuid('log'))!;
    const got: Buffer[] = [];
    log.on('data', (data: Buffer, isNotification: boolean) => {
      if (isNotification) got.push(data);
    });
    await radio.settle(log.subscribeAsync(), 2_000);
    expect(radio.garbageNotifications('puck', 5)).toBe(5);
    await radio.advanceUntil(() => got.length === 5, 1_000);
    expect(got.length).toBe(5);
    for (const g of got) expect(g.length).toBeGreaterThanOrEqual(1);
    expect(got.every((g) => g.length <= p.mtu! - 3)).toBe(true);
    expect(got.filter((g) => isDecodeError(decode(g, ['log']))).length).toBeGreaterThanOrEqual(4);
    radio.stop();
  });

  it('a hung read never answers, holds the link\'s ATT bearer, and a disconnect still ends the link', async () => {
    const { radio, noble } = await setup();
    const p = (await scanAll(radio, noble)).get('puck')!;
    const chars = await open(radio, p);
    radio.hang('puck', 'read');
    let read = false;
    let wrote = false;
    chars.get(nobleUuid('info'))!.read(() => {
      read = true;
    });
    chars.get(nobleUuid('control'))!.write(Buffer.from(encode('live', { on: 1 })), false, () => {
      wrote = true;
    });
    await radio.advanceAsync(30_000);
    expect(read).toBe(false);
    expect(wrote).toBe(false);
    const reason = await radio.settle(new Promise<unknown>((resolve) => {
      p.once('disconnect', resolve);
      p.disconnect();
    }), 2_000);
    expect(reason).toBe(0x16);
    // The next connection starts with a free bearer.
    const again = await open(radio, p);
    const info = await radio.settle(again.get(nobleUuid('info'))!.readAsync(), 2_000);
    expect(ok(decode(info, ['info'])).name).toBe('info');
    radio.stop();
  });

  it('is deterministic for a seed: the same discoveries at the same times with the same RSSI', async () => {
    const trace = async (): Promise<string[]> => {
      const { radio, noble } = await setup();
      const out: string[] = [];
      radio.bindings.on('discover', (id: string, _a: string, _t: string, _c: boolean, _adv: unknown, rssi: number) => out.push(id + '@' + radio.nowMs.toFixed(3) + ':' + rssi));
      noble.startScanning([], true);
      await radio.advanceAsync(10_000);
      radio.stop();
      return out;
    };
    const a = await trace();
    expect(a.length).toBeGreaterThanOrEqual(8);
    expect(await trace()).toEqual(a);
  });

  it('real time: simulated time follows the wall clock (here ×50) and noble finds the clips without manual advancing', async () => {
    const { radio, noble } = await setup();
    const found = new Set<string>();
    noble.on('discover', (p: Peripheral) => found.add(p.id));
    noble.startScanning([], false);
    radio.startRealTime({ tickMs: 20, speed: 50 });
    const t0 = Date.now();
    while (found.size < 2 && Date.now() - t0 < 5_000) await new Promise((r) => setTimeout(r, 20));
    radio.stop();
    expect([...found].sort()).toEqual(['bangle', 'puck']);
    expect(radio.nowMs).toBeGreaterThan(0);
    expect(() => radio.advance(10)).toThrow(/stopped/);
  });
});
