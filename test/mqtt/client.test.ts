import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedBroker } from '../../bridge/mqtt/broker.ts';
import type { EmbeddedBroker } from '../../bridge/mqtt/broker.ts';
import { MqttClosedError, MqttNotConnectedError, connectBridgeMqtt } from '../../bridge/mqtt/client.ts';
import type { BridgeMqtt, BridgeMqttOptions, IncomingCommand } from '../../bridge/mqtt/client.ts';
import { OutboxFullError, openOutbox } from '../../bridge/mqtt/outbox.ts';
import type { Outbox } from '../../bridge/mqtt/outbox.ts';
import { buildPayload, topicFor } from '../../shared/mqtt/api.ts';
import type { JsonPayload } from '../../shared/mqtt/topics.ts';
import { makeTestCerts, mosquittoSkipReason, startMosquitto, subscriber, waitUntil } from './mosquitto.ts';
import type { Mosquitto, Subscriber } from './mosquitto.ts';

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function tmpDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'nape-mqtt-'));
  cleanups.push(() => fs.rmSync(d, { recursive: true, force: true }));
  return d;
}

/** Outboxes are closed by the test when it simulates a restart; the cleanup closes the rest (close is idempotent). */
function outboxIn(dir: string, maxEntries?: number): Outbox {
  const o = openOutbox(dir, maxEntries === undefined ? {} : { maxEntries: maxEntries });
  cleanups.push(() => o.close());
  return o;
}

async function broker(port = 0): Promise<EmbeddedBroker> {
  const b = await startEmbeddedBroker({ port: port });
  cleanups.push(() => b.close());
  return b;
}

function bridge(url: string, outbox: Outbox, extra: Partial<BridgeMqttOptions> = {}): BridgeMqtt {
  const b = connectBridgeMqtt(Object.assign({ url: url, clientId: 'nape-bridge-test', outbox: outbox, backoff: { initialMs: 40, maxMs: 150 } }, extra));
  cleanups.push(() => b.close({ graceful: false }));
  return b;
}

async function sub(url: string, filters: string[], opts = {}): Promise<Subscriber> {
  const s = await subscriber(url, filters, opts);
  cleanups.push(() => s.end());
  return s;
}

function minute(seq: number): string {
  const m: JsonPayload<'minute'> = { seq: seq, at: '2025-01-02T10:0' + (seq % 10) + ':00Z', time_known: true, boot_id: 3, activity: 'still',
    slouch_s: 0, mean_angle_deg: 4.5, max_angle_deg: 9, alerts: 0 };
  return buildPayload('minute', m);
}

const STATE = topicFor('bridgeState');
const MINUTE = topicFor('minute', 'c1');

/** A broker under test: Mosquitto keeps sessions across a restart in `persistDir`; aedes lets the test watch what it receives. */
interface TestBroker {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
  /** Payloads of the publishes the broker received from clients (aedes only). */
  readonly received?: string[];
}

/** The delivery and availability tests, run against aedes and against Mosquitto. */
function deliveryAndWill(name: string, start: (port?: number, persistDir?: string) => Promise<TestBroker>, protocolVersion: 4 | 5 = 4): void {
  const session = protocolVersion === 5 ? { properties: { sessionExpiryInterval: 3600 } } : {};
  describe(name, () => {
    it('publishes online retained on connect, and the broker publishes the offline will when the socket dies', async () => {
      const b = await start();
      const watcher = await sub(b.url, [STATE]);
      const br = bridge(b.url, outboxIn(tmpDir()), { protocolVersion: protocolVersion });
      await br.waitConnected();
      await watcher.until((r) => r.some((m) => m.payload === 'online'), 'online');
      // online is retained: a late subscriber gets it at once, flagged retained
      const late = await sub(b.url, [STATE]);
      await late.until((r) => r.length === 1, 'the retained state');
      expect(late.received[0]).toMatchObject({ topic: 'nape/bridge/state', payload: 'online', retain: true });

      (br.mqttClient as NonNullable<typeof br.mqttClient>).stream.destroy(); // the bridge dies without DISCONNECT
      await watcher.until((r) => r.some((m) => m.payload === 'offline'), 'the will');
      // it reconnects by itself and says online again
      await watcher.until((r) => r.filter((m) => m.payload === 'online').length === 2, 'online after the reconnect');
      expect(br.stats().reconnects).toBe(1);

      // a clean close publishes offline itself (a DISCONNECT suppresses the will)
      await br.close();
      await watcher.until((r) => r[r.length - 1].payload === 'offline', 'offline on close');
      await b.stop();
    });

    it('delivers a record published while the broker was down once a new broker is up on the same port', async () => {
      const persist = tmpDir();
      const b1 = await start(undefined, persist);
      // A persistent-session subscriber, so the restarted Mosquitto queues the record for it while
      // it is away (it cannot be connected before the bridge is). aedes keeps sessions in memory
      // only: there the test looks at what the new broker received.
      const watcherOpts = Object.assign({ clean: false, clientId: 'nape-watcher', protocolVersion: protocolVersion }, session);
      const watcher = await subscriber(b1.url, [MINUTE], watcherOpts);
      await watcher.end();
      const outbox = outboxIn(tmpDir());
      const br = bridge(b1.url, outbox, { protocolVersion: protocolVersion });
      await br.waitConnected();
      await br.publishRecord(MINUTE, minute(1));
      await b1.stop();
      await waitUntil(() => !br.connected, 'the bridge to notice');

      const pending = br.publishRecord(MINUTE, minute(2));
      expect(br.stats().outboxDepth).toBe(1);
      const b2 = await start(b1.port, persist);
      await pending; // resolved by the new broker's PUBACK
      expect(br.stats()).toMatchObject({ outboxDepth: 0, inflight: 0, reconnects: 1 });
      if (b2.received) {
        expect(b2.received).toContain(minute(2));
      } else {
        const w2 = await sub(b2.url, [], watcherOpts);
        // both records were queued for the watcher while it was away: the one sent before the outage and the one sent during it
        await w2.until((r) => r.length >= 2, 'the records queued for the watcher');
        expect(w2.received.map((m) => m.payload)).toEqual([minute(1), minute(2)]);
      }
      await b2.stop();
    });

    it('delivers what a killed bridge left in its outbox after a restart, in order', async () => {
      const b1 = await start();
      const dir = tmpDir();
      const outbox1 = openOutbox(dir);
      const br1 = connectBridgeMqtt({ url: b1.url, clientId: 'nape-bridge-test', outbox: outbox1, protocolVersion: protocolVersion });
      cleanups.push(() => br1.close());
      await br1.waitConnected();
      await b1.stop();
      await waitUntil(() => !br1.connected, 'the bridge to notice');
      const lost = [3, 4, 5].map((s) => br1.publishRecord(MINUTE, minute(s)));
      // the bridge dies: no drain, the outbox is just left behind
      await br1.close({ graceful: false });
      for (const p of lost) await expect(p).rejects.toBeInstanceOf(MqttClosedError);
      outbox1.close();

      const b2 = await start(b1.port);
      const watcher = await sub(b2.url, [MINUTE]);
      const outbox2 = outboxIn(dir);
      expect(outbox2.depth()).toBe(3);
      const br2 = bridge(b2.url, outbox2, { protocolVersion: protocolVersion });
      await watcher.until((r) => r.length === 3, 'three records');
      expect(watcher.received.map((m) => JSON.parse(m.payload).seq)).toEqual([3, 4, 5]);
      await waitUntil(() => outbox2.depth() === 0, 'the outbox to drain');
      await br2.close();
      await b2.stop();
    });
  });
}

deliveryAndWill('against aedes', async (port) => {
  const b = await broker(port);
  const received: string[] = [];
  b.aedes.on('publish', (packet, client) => {
    if (client) received.push(packet.payload.toString());
  });
  return { url: b.url, port: b.port, stop: () => b.close(), received: received };
});

const skip = mosquittoSkipReason();
describe.skipIf(skip !== null)('against Mosquitto', () => {
  for (const v of [4, 5] as const) {
    deliveryAndWill('Mosquitto, MQTT ' + (v === 4 ? '3.1.1' : '5'), async (port, persistDir) => {
      const m: Mosquitto = await startMosquitto({ port: port, persistDir: persistDir });
      cleanups.push(() => m.stop());
      return m;
    }, v);
  }

  it('connects over TLS with the given CA, and refuses a server it cannot verify', async () => {
    const certs = makeTestCerts(tmpDir());
    const m = await startMosquitto({ tls: certs });
    cleanups.push(() => m.stop());
    const url = 'mqtts://127.0.0.1:' + m.port;
    const watcher = await sub(url, [MINUTE], { ca: certs.caPem });
    const ok = bridge(url, outboxIn(tmpDir()), { ca: certs.caPem });
    await ok.publishRecord(MINUTE, minute(7));
    await watcher.until((r) => r.length === 1, 'the record over TLS');
    const untrusted = bridge(url, outboxIn(tmpDir()), { clientId: 'nape-bridge-untrusted' });
    await waitUntil(() => untrusted.stats().connectAttempts >= 2, 'a retry');
    expect(untrusted.stats().lastError).toMatch(/self[- ]signed|unable to verify|unable to get local issuer/);
  });
});

describe('bridge MQTT client (aedes)', () => {
  it('rejects records with OutboxFullError when the outbox is full, and takes them again once it drains', async () => {
    const b1 = await broker();
    const outbox = outboxIn(tmpDir(), 2);
    const br = bridge(b1.url, outbox);
    await br.waitConnected();
    await b1.close();
    await waitUntil(() => !br.connected, 'the bridge to notice');
    const a = br.publishRecord(MINUTE, minute(1));
    const c = br.publishRecord(MINUTE, minute(2));
    await expect(br.publishRecord(MINUTE, minute(3))).rejects.toBeInstanceOf(OutboxFullError);
    await expect(br.publishRecords([{ topic: MINUTE, payload: minute(3) }])).rejects.toBeInstanceOf(OutboxFullError);
    expect(outbox.depth()).toBe(2);
    await broker(b1.port);
    await Promise.all([a, c]);
    await br.publishRecords([{ topic: MINUTE, payload: minute(3) }, { topic: MINUTE, payload: minute(4) }]);
    expect(outbox.depth()).toBe(0);
  });

  it('replays a large backlog in order through a bounded in-flight window', async () => {
    const b1 = await broker();
    const outbox = outboxIn(tmpDir());
    const br = bridge(b1.url, outbox, { inflightWindow: 4 });
    await br.waitConnected();
    await b1.close();
    await waitUntil(() => !br.connected, 'the bridge to notice');
    const all = br.publishRecords(Array.from({ length: 200 }, (_, i) => ({ topic: MINUTE, payload: minute(i) })));
    const b2 = await broker(b1.port);
    const seen: number[] = [];
    let maxInflight = 0;
    b2.aedes.on('publish', (packet, client) => {
      if (client && packet.topic === MINUTE) seen.push(JSON.parse(packet.payload.toString()).seq);
      maxInflight = Math.max(maxInflight, br.stats().inflight);
    });
    await all;
    await waitUntil(() => seen.length === 200, 'the broker to report every record');
    expect(seen).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(maxInflight).toBeLessThanOrEqual(4);
  });

  it('keeps the latest live value per topic while offline, bounded, and counts what it dropped', async () => {
    const b1 = await broker();
    const br = bridge(b1.url, outboxIn(tmpDir()), { maxLive: 2 });
    await br.waitConnected();
    const s1 = topicFor('state', 'c1');
    br.publishState(s1, '{"v":0}');
    const first = await sub(b1.url, [s1]);
    await first.until((r) => r.length === 1, 'the live value');
    expect(first.received[0]).toMatchObject({ payload: '{"v":0}', retain: true, qos: 0 });

    await b1.close();
    await waitUntil(() => !br.connected, 'the bridge to notice');
    const s2 = topicFor('state', 'c2');
    const s3 = topicFor('state', 'c3');
    br.publishState(s1, '{"v":1}');
    br.publishState(s2, '{"v":2}');
    br.publishState(s1, '{"v":3}'); // replaces v1
    br.publishState(s3, '{"v":4}'); // drops the oldest topic (c2)
    expect(br.stats()).toMatchObject({ liveQueued: 2, droppedLive: 2 });

    const b2 = await broker(b1.port);
    await br.waitConnected();
    await waitUntil(() => br.stats().liveQueued === 0, 'the live buffer to flush');
    const after = await sub(b2.url, [s1, s2, s3]);
    await after.until((r) => r.length === 2, 'the retained live values');
    expect(after.received.map((m) => m.topic + ' ' + m.payload).sort()).toEqual(['nape/c1/state {"v":3}', 'nape/c3/state {"v":4}']);
  });

  it('routes commands, config changes and Home Assistant status, and subscribes again after a reconnect', async () => {
    const b = await broker();
    const pub = await sub(b.url, []);
    // a stale retained command must not run on subscribe
    await pub.client.publishAsync(topicFor('command', 'c2'), 'calibrate', { qos: 1, retain: true });
    const br = bridge(b.url, outboxIn(tmpDir()));
    const got: IncomingCommand[] = [];
    await br.subscribeCommands((c) => {
      got.push(c);
    });
    await pub.client.publishAsync(topicFor('configSet', 'c1'), '{"threshold_deg": 20}', { qos: 1 });
    await pub.client.publishAsync(topicFor('command', 'c1'), 'calibrate', { qos: 1 });
    await pub.client.publishAsync(topicFor('command', 'c1'), '{"command":"snooze","minutes":15}', { qos: 1 });
    await pub.client.publishAsync(topicFor('command', 'c1'), 'reboot', { qos: 1 });
    await pub.client.publishAsync('homeassistant/status', 'online', { qos: 1 });
    await pub.client.publishAsync('nape/c1/minute', '{}', { qos: 1 }); // not a command topic
    await waitUntil(() => got.length === 5, 'five routed messages');
    expect(got).toEqual([
      { kind: 'configSet', clip: 'c1', topic: 'nape/c1/config/set', text: '{"threshold_deg": 20}' },
      { kind: 'command', clip: 'c1', topic: 'nape/c1/command', text: 'calibrate', parsed: { ok: true, value: { command: 'calibrate' } } },
      { kind: 'command', clip: 'c1', topic: 'nape/c1/command', text: '{"command":"snooze","minutes":15}',
        parsed: { ok: true, value: { command: 'snooze', minutes: 15 } } },
      { kind: 'command', clip: 'c1', topic: 'nape/c1/command', text: 'reboot',
        parsed: { ok: false, error: 'unknown command "reboot"; known: calibrate, snooze, unsnooze, test_buzz, sync' } },
      { kind: 'haStatus', topic: 'homeassistant/status', status: 'online' },
    ]);
    expect(br.stats().ignoredRetained).toBe(1);

    // after a lost connection the subscriptions come back (the session is clean)
    (br.mqttClient as NonNullable<typeof br.mqttClient>).stream.destroy();
    await waitUntil(() => br.stats().reconnects === 1 && br.connected, 'the reconnect');
    await waitUntil(() => br.stats().ignoredRetained === 2, 'the resubscription (which sees the retained command again)');
    await pub.client.publishAsync(topicFor('command', 'c1'), 'sync', { qos: 1 });
    await waitUntil(() => got.length === 6, 'the command after the reconnect');
    expect(got[5]).toMatchObject({ kind: 'command', clip: 'c1', parsed: { ok: true, value: { command: 'sync' } } });
  });

  it('retries with a capped exponential backoff while the broker is unreachable', async () => {
    const b = await broker();
    const port = b.port;
    await b.close();
    const lines: string[] = [];
    const br = bridge('mqtt://127.0.0.1:' + port, outboxIn(tmpDir()), { backoff: { initialMs: 20, maxMs: 80 }, random: () => 1, log: (l) => lines.push(l) });
    await waitUntil(() => lines.length >= 5, 'five failed attempts');
    const waits = lines.slice(0, 5).map((l) => Number(/retrying in (\d+) ms/.exec(l)?.[1]));
    expect(waits).toEqual([20, 40, 80, 80, 80]);
    expect(lines[0]).toMatch(/^mqtt: could not connect \(connect ECONNREFUSED 127\.0\.0\.1:\d+\); retrying in 20 ms$/);
    await expect(br.publish('nape/x', 'y', { qos: 1, retain: false })).rejects.toBeInstanceOf(MqttNotConnectedError);
    await broker(port);
    await br.waitConnected();
    expect(br.stats().connectAttempts).toBeGreaterThanOrEqual(6);
  });

  it('logs in with a user name and password, and reports a refused login', async () => {
    const b = await startEmbeddedBroker({ port: 0, authenticate: { username: 'nape', password: 'pw' } });
    cleanups.push(() => b.close());
    const ok = bridge(b.url, outboxIn(tmpDir()), { username: 'nape', password: 'pw' });
    await ok.waitConnected();
    const bad = bridge(b.url, outboxIn(tmpDir()), { clientId: 'nape-bridge-bad', username: 'nape', password: 'nope' });
    await waitUntil(() => bad.stats().connectAttempts >= 2, 'a retry');
    await expect(bad.waitConnected(50)).rejects.toThrow(/Bad username or password/);
  });

  it('refuses bad options with clear messages', () => {
    const o = outboxIn(tmpDir());
    expect(() => connectBridgeMqtt({ url: 'http://x', clientId: 'a', outbox: o })).toThrow('MQTT URL must start with mqtt://, mqtts://, ws:// or wss://, got "http://x"');
    expect(() => connectBridgeMqtt({ url: 'mqtt://x', clientId: 'a b', outbox: o })).toThrow(/client id must be 1 to 23/);
    expect(() => connectBridgeMqtt({ url: 'mqtt://x', clientId: 'a', outbox: o, base: 'a/+' })).toThrow(/invalid MQTT base topic/);
  });
});
