import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedBroker } from '../../bridge/mqtt/broker.ts';
import { connectBridgeMqtt } from '../../bridge/mqtt/client.ts';
import type { BridgeMqtt } from '../../bridge/mqtt/client.ts';
import { discoveryMessages, publishDiscovery, removeDiscovery } from '../../bridge/mqtt/homeAssistant.ts';
import type { ClipDevice } from '../../bridge/mqtt/homeAssistant.ts';
import { openOutbox } from '../../bridge/mqtt/outbox.ts';
import { settingDef } from '../../shared/config/settings.ts';
import { ACTIVITIES } from '../../shared/posture/activity.ts';
import { subscriber, waitUntil } from './mosquitto.ts';
import type { Received, Subscriber } from './mosquitto.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const clip: ClipDevice = { clip_id: 'puck-a1b2', name: 'Puck a1b2', model: 'Puck.js', board: 'PUCKJS', firmware: '0.1.0', simulated: true };

async function setup(): Promise<{ url: string; bridge: BridgeMqtt }> {
  const b = await startEmbeddedBroker({ port: 0 });
  cleanups.push(() => b.close());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nape-ha-'));
  const outbox = openOutbox(dir);
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => outbox.close());
  const bridge = connectBridgeMqtt({ url: b.url, clientId: 'nape-ha-test', outbox: outbox });
  cleanups.push(() => bridge.close());
  await bridge.waitConnected();
  return { url: b.url, bridge: bridge };
}

async function watch(url: string): Promise<Subscriber> {
  const s = await subscriber(url, ['homeassistant/#']);
  cleanups.push(() => s.end());
  return s;
}

function byTopic(r: readonly Received[]): { [topic: string]: { [k: string]: unknown } } {
  const out: { [topic: string]: { [k: string]: unknown } } = {};
  for (const m of r) if (m.payload) out[m.topic] = JSON.parse(m.payload);
  return out;
}

const P = 'homeassistant/';
const N = '/nape_puck-a1b2/';

describe('Home Assistant discovery', () => {
  it('publishes retained, valid config for every entity of a clip', async () => {
    const { url, bridge } = await setup();
    await publishDiscovery(bridge, clip, { bridgeVersion: '0.1.0' });
    const s = await watch(url); // subscribes afterwards: everything must be retained
    await s.until((r) => r.length === 10, 'ten retained configs');
    expect(s.received.every((m) => m.retain)).toBe(true);
    const got = byTopic(s.received);
    expect(Object.keys(got).sort()).toEqual([
      P + 'binary_sensor' + N + 'slouching/config',
      P + 'button' + N + 'calibrate/config',
      P + 'button' + N + 'snooze/config',
      P + 'number' + N + 'delay/config',
      P + 'number' + N + 'threshold/config',
      P + 'select' + N + 'mode/config',
      P + 'sensor' + N + 'activity/config',
      P + 'sensor' + N + 'angle/config',
      P + 'sensor' + N + 'battery/config',
      P + 'sensor' + N + 'lateral/config',
    ]);

    const device = { identifiers: ['nape_puck-a1b2'], name: 'Puck a1b2', model: 'Puck.js (simulated)', manufacturer: 'nape', sw_version: '0.1.0', hw_version: 'PUCKJS' };
    const availability = [
      { topic: 'nape/bridge/state', payload_available: 'online', payload_not_available: 'offline' },
      { topic: 'nape/puck-a1b2/availability', payload_available: 'online', payload_not_available: 'offline' },
    ];
    const ids = new Set<unknown>();
    for (const c of Object.values(got)) {
      expect(c.device).toEqual(device);
      expect(c.availability).toEqual(availability);
      expect(c.availability_mode).toBe('all');
      expect(c.origin).toEqual({ name: 'nape', sw_version: '0.1.0' });
      expect(typeof c.name).toBe('string');
      ids.add(c.unique_id);
    }
    expect(ids.size).toBe(10);

    const state = 'nape/puck-a1b2/state';
    expect(got[P + 'sensor' + N + 'angle/config']).toMatchObject({ unique_id: 'nape_puck-a1b2_angle', state_topic: state,
      value_template: '{{ value_json.angle_deg }}', unit_of_measurement: '°', state_class: 'measurement' });
    expect(got[P + 'sensor' + N + 'lateral/config']).toMatchObject({ state_topic: state, value_template: '{{ value_json.lateral_deg }}', unit_of_measurement: '°' });
    expect(got[P + 'binary_sensor' + N + 'slouching/config']).toMatchObject({ state_topic: state, device_class: 'problem',
      value_template: "{{ 'ON' if value_json.slouching else 'OFF' }}", payload_on: 'ON', payload_off: 'OFF' });
    expect(got[P + 'sensor' + N + 'activity/config']).toMatchObject({ state_topic: state, value_template: '{{ value_json.activity }}',
      device_class: 'enum', options: [...ACTIVITIES] });
    expect(got[P + 'sensor' + N + 'battery/config']).toMatchObject({ state_topic: state, value_template: '{{ value_json.battery_pct }}',
      device_class: 'battery', unit_of_measurement: '%' });
    expect(got[P + 'button' + N + 'calibrate/config']).toMatchObject({ command_topic: 'nape/puck-a1b2/command', payload_press: 'calibrate' });
    expect(got[P + 'button' + N + 'snooze/config']).toMatchObject({ command_topic: 'nape/puck-a1b2/command', payload_press: 'snooze' });
    const threshold = settingDef('thresholdDeg');
    const delay = settingDef('delayS');
    expect(got[P + 'number' + N + 'threshold/config']).toMatchObject({ state_topic: 'nape/puck-a1b2/config', value_template: '{{ value_json.threshold_deg }}',
      command_topic: 'nape/puck-a1b2/config/set', command_template: '{"threshold_deg": {{ value | int }}}',
      min: threshold?.min, max: threshold?.max, step: 1, unit_of_measurement: '°' });
    expect(got[P + 'number' + N + 'delay/config']).toMatchObject({ command_topic: 'nape/puck-a1b2/config/set', command_template: '{"delay_s": {{ value | int }}}',
      min: delay?.min, max: delay?.max, unit_of_measurement: 's', device_class: 'duration' });
    expect(got[P + 'select' + N + 'mode/config']).toMatchObject({ state_topic: 'nape/puck-a1b2/config', value_template: '{{ value_json.mode }}',
      command_topic: 'nape/puck-a1b2/config/set', command_template: '{"mode": "{{ value }}"}', options: ['training', 'tracking'] });
  });

  it('writes command templates that render to payloads the bridge accepts', () => {
    const msgs = discoveryMessages(clip);
    const config = (object: string): { command_template: string } => JSON.parse((msgs.find((m) => m.topic.includes('/' + object + '/')) as { payload: string }).payload);
    // HA renders {{ value | int }} / {{ value }}: substitute as it would
    expect(JSON.parse(config('threshold').command_template.replace('{{ value | int }}', '25'))).toEqual({ threshold_deg: 25 });
    expect(JSON.parse(config('mode').command_template.replace('{{ value }}', 'tracking'))).toEqual({ mode: 'tracking' });
    // a real clip is not called simulated; another base moves every nape topic
    const real = discoveryMessages(Object.assign({}, clip, { simulated: false }), { base: 'home/posture' });
    const angle = JSON.parse(real[0].payload);
    expect(angle.device.model).toBe('Puck.js');
    expect(angle.state_topic).toBe('home/posture/puck-a1b2/state');
    expect(angle.availability[0].topic).toBe('home/posture/bridge/state');
    expect(() => discoveryMessages(Object.assign({}, clip, { clip_id: 'Bad/Id' }))).toThrow(/invalid clip id/);
  });

  it('removes a clip with empty retained payloads', async () => {
    const { url, bridge } = await setup();
    await publishDiscovery(bridge, clip);
    const s = await watch(url);
    await s.until((r) => r.length === 10, 'ten configs');
    await removeDiscovery(bridge, clip.clip_id);
    await s.until((r) => r.length === 20, 'ten removals');
    expect(s.received.slice(10).every((m) => m.payload === '')).toBe(true);
    const after = await watch(url);
    await new Promise((r) => setTimeout(r, 100));
    expect(after.received).toEqual([]); // nothing retained any more
  });

  it('re-publishes discovery when Home Assistant comes online and on every connect', async () => {
    const { url, bridge } = await setup();
    let published = 0;
    const republish = (): void => {
      publishDiscovery(bridge, clip).then(() => published++, () => undefined);
    };
    bridge.onConnect(republish);
    await bridge.subscribeCommands((c) => {
      if (c.kind === 'haStatus' && c.status === 'online') republish();
    });
    const s = await watch(url);
    const ha = await subscriber(url, []);
    cleanups.push(() => ha.end());
    await ha.client.publishAsync('homeassistant/status', 'online', { qos: 1 });
    await waitUntil(() => published === 1, 'discovery after the HA birth message');
    await s.until((r) => r.filter((m) => m.topic.endsWith('/config')).length === 10, 'ten configs');
    (bridge.mqttClient as NonNullable<typeof bridge.mqttClient>).stream.destroy();
    await waitUntil(() => published === 2, 'discovery after the reconnect');
  });
});
