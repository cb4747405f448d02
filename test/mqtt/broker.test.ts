import * as net from 'node:net';
import { connectAsync } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { BrokerListenError, startEmbeddedBroker } from '../../bridge/mqtt/broker.ts';
import type { EmbeddedBroker } from '../../bridge/mqtt/broker.ts';

const brokers: EmbeddedBroker[] = [];

async function start(opts: Parameters<typeof startEmbeddedBroker>[0]): Promise<EmbeddedBroker> {
  const b = await startEmbeddedBroker(opts);
  brokers.push(b);
  return b;
}

afterEach(async () => {
  for (const b of brokers.splice(0)) await b.close();
});

describe('embedded broker', () => {
  it('picks a free port for port 0 and relays messages', async () => {
    const b = await start({ port: 0 });
    expect(b.port).toBeGreaterThan(0);
    expect(b.url).toBe('mqtt://127.0.0.1:' + b.port);
    const sub = await connectAsync(b.url, { reconnectPeriod: 0 });
    await sub.subscribeAsync('nape/#', { qos: 1 });
    const got = new Promise<string>((resolve) => sub.on('message', (t, p) => resolve(t + ' ' + p.toString())));
    const pub = await connectAsync(b.url, { reconnectPeriod: 0 });
    await pub.publishAsync('nape/c1/minute', '{"seq":1}', { qos: 1 });
    expect(await got).toBe('nape/c1/minute {"seq":1}');
    await pub.endAsync();
    await sub.endAsync();
  });

  it('says in one line that a taken port is in use', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const err = await startEmbeddedBroker({ port: port }).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(BrokerListenError);
      expect((err as BrokerListenError).code).toBe('EADDRINUSE');
      expect((err as Error).message).toBe('MQTT port ' + port + ' on 127.0.0.1 is already in use: pass --mqtt-port or --mqtt URL');
    } finally {
      await new Promise((r) => blocker.close(r));
    }
    await expect(startEmbeddedBroker({ port: 70000 })).rejects.toThrow('MQTT port must be a whole number from 0 to 65535, got 70000');
  });

  it('frees its port on close, so a new broker can take it at once', async () => {
    const a = await startEmbeddedBroker({ port: 0 });
    const client = await connectAsync(a.url, { reconnectPeriod: 0 });
    const closed = new Promise<void>((r) => client.once('close', () => r()));
    await a.close();
    await closed;
    const b = await start({ port: a.port });
    expect(b.port).toBe(a.port);
    client.end(true);
  });

  it('checks user name and password when asked to', async () => {
    const b = await start({ port: 0, authenticate: { username: 'nape', password: 's3cret' } });
    const ok = await connectAsync(b.url, { reconnectPeriod: 0, username: 'nape', password: 's3cret' });
    expect(ok.connected).toBe(true);
    await ok.endAsync();
    await expect(connectAsync(b.url, { reconnectPeriod: 0, username: 'nape', password: 'wrong' })).rejects.toThrow(/Bad username or password/);
    await expect(connectAsync(b.url, { reconnectPeriod: 0 })).rejects.toThrow(/Bad username or password/);
  });
});
