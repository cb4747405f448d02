/**
 * Home Assistant MQTT discovery for one clip: the entities below become one HA device whose
 * sensors read `<base>/<clip>/state`, whose number/select entities read `<base>/<clip>/config`
 * and write `<base>/<clip>/config/set`, and whose buttons write `<base>/<clip>/command`.
 *
 * Each entity's config goes, retained, to `<prefix>/<component>/nape_<clip>/<object>/config`
 * (prefix `homeassistant`). Every entity is available only while both the bridge
 * (`<base>/bridge/state`) and the clip (`<base>/<clip>/availability`) are `online`.
 * Publish again on every connect and when `homeassistant/status` says `online`; an empty retained
 * payload on the same topics removes the entities (`removalMessages`).
 */
import { settingDef, snakeKey } from '../../shared/config/settings.ts';
import type { SettingDef } from '../../shared/config/settings.ts';
import { topicFor } from '../../shared/mqtt/api.ts';
import type { JsonPayload } from '../../shared/mqtt/topics.ts';
import { ACTIVITIES } from '../../shared/posture/activity.ts';

/** What discovery needs of a clip: the fields of its `<base>/<clip>/device` payload. */
export type ClipDevice = Pick<JsonPayload<'device'>, 'clip_id' | 'name' | 'model' | 'board' | 'firmware' | 'simulated'>;

/** Options for discovery. */
export interface DiscoveryOptions {
  /** nape base topic (default `nape`). */
  readonly base?: string;
  /** Home Assistant discovery prefix (default `homeassistant`). */
  readonly prefix?: string;
  /** Bridge version, reported as the discovery origin. */
  readonly bridgeVersion?: string;
}

/** One retained QoS 1 message to publish. */
export interface DiscoveryMessage {
  readonly topic: string;
  /** The config JSON, or '' to remove the entity. */
  readonly payload: string;
}

type Component = 'sensor' | 'binary_sensor' | 'button' | 'number' | 'select';
type Json = { [key: string]: unknown };

interface Topics {
  readonly state: string;
  readonly config: string;
  readonly configSet: string;
  readonly command: string;
}

/** The entities of a clip: component, object id, and the config fields particular to it. */
const ENTITIES: readonly { readonly component: Component; readonly object: string; readonly fields: (t: Topics) => Json }[] = [
  { component: 'sensor', object: 'angle', fields: (t) => ({ name: 'Forward lean', state_topic: t.state, value_template: '{{ value_json.angle_deg }}',
    unit_of_measurement: '°', state_class: 'measurement', suggested_display_precision: 0, icon: 'mdi:human-handsdown' }) },
  { component: 'sensor', object: 'lateral', fields: (t) => ({ name: 'Sideways lean', state_topic: t.state, value_template: '{{ value_json.lateral_deg }}',
    unit_of_measurement: '°', state_class: 'measurement', suggested_display_precision: 0, icon: 'mdi:arrow-left-right' }) },
  { component: 'binary_sensor', object: 'slouching', fields: (t) => ({ name: 'Slouching', state_topic: t.state, device_class: 'problem',
    value_template: "{{ 'ON' if value_json.slouching else 'OFF' }}", payload_on: 'ON', payload_off: 'OFF' }) },
  { component: 'sensor', object: 'activity', fields: (t) => ({ name: 'Activity', state_topic: t.state, value_template: '{{ value_json.activity }}',
    device_class: 'enum', options: ACTIVITIES.slice(), icon: 'mdi:walk' }) },
  { component: 'sensor', object: 'battery', fields: (t) => ({ name: 'Battery', state_topic: t.state, value_template: '{{ value_json.battery_pct }}',
    device_class: 'battery', unit_of_measurement: '%', state_class: 'measurement', entity_category: 'diagnostic' }) },
  { component: 'button', object: 'calibrate', fields: (t) => ({ name: 'Calibrate upright', command_topic: t.command, payload_press: 'calibrate',
    qos: 1, icon: 'mdi:human-male-height' }) },
  { component: 'button', object: 'snooze', fields: (t) => ({ name: 'Snooze alerts', command_topic: t.command, payload_press: 'snooze',
    qos: 1, icon: 'mdi:bell-sleep' }) },
  { component: 'number', object: 'threshold', fields: (t) => numberFields(t, 'thresholdDeg', 'Slouch threshold', undefined, 'mdi:angle-acute') },
  { component: 'number', object: 'delay', fields: (t) => numberFields(t, 'delayS', 'Alert delay', 'duration', 'mdi:timer-sand') },
  { component: 'select', object: 'mode', fields: (t) => selectFields(t, 'mode', 'Mode', 'mdi:vibrate') },
];

function def(key: string): SettingDef {
  const d = settingDef(key);
  if (!d) throw new Error('settings table has no ' + key); // a bug: the entity list names table keys
  return d;
}

/** A number entity for an int setting: range and unit from the settings table. */
function numberFields(t: Topics, key: string, name: string, deviceClass: string | undefined, icon: string): Json {
  const d = def(key);
  const snake = snakeKey(key);
  const out: Json = { name: name, state_topic: t.config, value_template: '{{ value_json.' + snake + ' }}',
    command_topic: t.configSet, command_template: '{"' + snake + '": {{ value | int }}}', qos: 1,
    min: d.min, max: d.max, step: 1, mode: 'box', entity_category: 'config', icon: icon };
  if (d.unit) out.unit_of_measurement = d.unit;
  if (deviceClass) out.device_class = deviceClass;
  return out;
}

/** A select entity for an enum setting: options from the settings table. */
function selectFields(t: Topics, key: string, name: string, icon: string): Json {
  const d = def(key);
  const snake = snakeKey(key);
  return { name: name, state_topic: t.config, value_template: '{{ value_json.' + snake + ' }}',
    command_topic: t.configSet, command_template: '{"' + snake + '": "{{ value }}"}', qos: 1,
    options: (d.values as readonly string[]).slice(), entity_category: 'config', icon: icon };
}

function nodeId(clip: string): string {
  return 'nape_' + clip;
}

function configTopic(prefix: string, component: Component, clip: string, object: string): string {
  return prefix + '/' + component + '/' + nodeId(clip) + '/' + object + '/config';
}

function prefixOf(opts: DiscoveryOptions): string {
  const p = opts.prefix === undefined ? 'homeassistant' : opts.prefix;
  if (!p || /[+#]/.test(p) || p.charAt(0) === '/' || p.charAt(p.length - 1) === '/') throw new Error('invalid Home Assistant discovery prefix "' + p + '"');
  return p;
}

/** The discovery config messages (retained, QoS 1) for one clip. */
export function discoveryMessages(device: ClipDevice, opts: DiscoveryOptions = {}): DiscoveryMessage[] {
  const clip = device.clip_id;
  const prefix = prefixOf(opts);
  const t: Topics = {
    state: topicFor('state', clip, opts.base),
    config: topicFor('config', clip, opts.base),
    configSet: topicFor('configSet', clip, opts.base),
    command: topicFor('command', clip, opts.base),
  };
  const deviceBlock: Json = {
    identifiers: [nodeId(clip)],
    name: device.name,
    model: device.model + (device.simulated ? ' (simulated)' : ''),
    manufacturer: 'nape',
    sw_version: device.firmware,
    hw_version: device.board,
  };
  const origin: Json = { name: 'nape' };
  if (opts.bridgeVersion) origin.sw_version = opts.bridgeVersion;
  const availability = [
    { topic: topicFor('bridgeState', undefined, opts.base), payload_available: 'online', payload_not_available: 'offline' },
    { topic: topicFor('availability', clip, opts.base), payload_available: 'online', payload_not_available: 'offline' },
  ];
  return ENTITIES.map((e) => {
    const config: Json = Object.assign(
      { unique_id: nodeId(clip) + '_' + e.object },
      e.fields(t),
      { availability: availability, availability_mode: 'all', device: deviceBlock, origin: origin },
    );
    return { topic: configTopic(prefix, e.component, clip, e.object), payload: JSON.stringify(config) };
  });
}

/** Empty retained payloads on every discovery topic of a clip: Home Assistant removes its entities. */
export function removalMessages(clip: string, opts: DiscoveryOptions = {}): DiscoveryMessage[] {
  topicFor('state', clip, opts.base); // validates the clip id and base
  const prefix = prefixOf(opts);
  return ENTITIES.map((e) => ({ topic: configTopic(prefix, e.component, clip, e.object), payload: '' }));
}

/** Anything that can publish retained QoS 1 (the bridge client's `publish`). */
export interface DiscoveryPublisher {
  publish(topic: string, payload: string, opts: { readonly qos: 0 | 1; readonly retain: boolean }): Promise<void>;
}

/** Publishes a clip's discovery; resolves after every PUBACK. */
export async function publishDiscovery(to: DiscoveryPublisher, device: ClipDevice, opts: DiscoveryOptions = {}): Promise<void> {
  await Promise.all(discoveryMessages(device, opts).map((m) => to.publish(m.topic, m.payload, { qos: 1, retain: true })));
}

/** Removes a clip's entities from Home Assistant; resolves after every PUBACK. */
export async function removeDiscovery(to: DiscoveryPublisher, clip: string, opts: DiscoveryOptions = {}): Promise<void> {
  await Promise.all(removalMessages(clip, opts).map((m) => to.publish(m.topic, m.payload, { qos: 1, retain: true })));
}
