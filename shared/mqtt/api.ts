/**
 * Builders and parsers for the MQTT API table (topics.ts). Publishing code goes through
 * `topicFor` + `buildPayload`, so it cannot send to a wildcard or send the wrong shape; every
 * incoming payload goes through `parsePayload`, which never throws.
 */
import { SETTINGS, applySettings, settingDef, snakeKey } from '../config/settings.ts';
import type { Settings, SettingsResult } from '../config/settings.ts';
import { BUZZ_PATTERNS } from '../protocol/messages.ts';
import { BASE_TOPIC, CLIP_ID_PATTERN, TOPICS, isValidBase } from './topics.ts';
import type { FieldSpec, JsonPayload, TopicDecl, TopicName } from './topics.ts';

/** The full topic for `name`; throws on an unsafe clip id or base (a bug, not user input). */
export function topicFor(name: TopicName, clip?: string, base?: string): string {
  const t = TOPICS[name] as TopicDecl;
  const b = base === undefined ? BASE_TOPIC : base;
  if (!isValidBase(b)) throw new Error('invalid MQTT base topic "' + b + '"');
  let path = t.path;
  if (path.indexOf('{clip}') >= 0) {
    if (clip === undefined || !CLIP_ID_PATTERN.test(clip)) throw new Error('invalid clip id "' + clip + '" for ' + name);
    path = path.replace('{clip}', clip);
  }
  return t.absolute ? path : b + '/' + path;
}

/** The subscription filter for `name` across all clips (`+` in place of the clip id). */
export function filterFor(name: TopicName, base?: string): string {
  const t = TOPICS[name] as TopicDecl;
  const path = t.path.replace('{clip}', '+');
  return t.absolute ? path : (base === undefined ? BASE_TOPIC : base) + '/' + path;
}

/** Which table entry a concrete topic is, and for which clip; null when it is none of ours. */
export function matchTopic(topic: string, base?: string): { name: TopicName; clip: string | null } | null {
  const b = base === undefined ? BASE_TOPIC : base;
  const names = Object.keys(TOPICS) as TopicName[];
  for (let i = 0; i < names.length; i++) {
    const t = TOPICS[names[i]] as TopicDecl;
    const full = t.absolute ? t.path : b + '/' + t.path;
    const at = full.indexOf('{clip}');
    if (at < 0) {
      if (full === topic) return { name: names[i], clip: null };
      continue;
    }
    const head = full.substr(0, at);
    const tail = full.substr(at + 6);
    if (topic.length > head.length + tail.length && topic.substr(0, head.length) === head &&
      topic.substr(topic.length - tail.length) === tail) {
      const clip = topic.substr(head.length, topic.length - head.length - tail.length);
      if (CLIP_ID_PATTERN.test(clip)) return { name: names[i], clip: clip };
    }
  }
  return null;
}

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/;

/** Checks one JSON field; '' when it fits. */
function checkField(key: string, spec: FieldSpec, v: unknown): string {
  const optional = spec.charAt(spec.length - 1) === '?';
  const base = optional ? spec.substr(0, spec.length - 1) : spec;
  if (v === undefined || v === null) return optional ? '' : key + ' is required';
  let ok: boolean;
  if (base === 'int') ok = typeof v === 'number' && Math.floor(v) === v && v > -1e15 && v < 1e15;
  else if (base === 'num') ok = typeof v === 'number' && v === v && v !== Infinity && v !== -Infinity;
  else if (base === 'str') ok = typeof v === 'string' && v.length <= 1000;
  else if (base === 'bool') ok = typeof v === 'boolean';
  else if (base === 'time') ok = typeof v === 'string' && ISO_TIME.test(v);
  else ok = typeof v === 'object';
  return ok ? '' : key + ' must be ' + (base === 'time' ? 'an ISO 8601 time' : base === 'obj' ? 'an object or list' : 'a ' + base);
}

/** A parse result: the value, or one clear error. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

function validateJson(name: TopicName, v: unknown): string {
  const t = TOPICS[name] as TopicDecl;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return name + ' payload must be a JSON object';
  const fields = t.fields as { [k: string]: FieldSpec };
  const keys = Object.keys(fields);
  const errs: string[] = [];
  for (let i = 0; i < keys.length; i++) {
    const e = checkField(keys[i], fields[keys[i]], (v as { [k: string]: unknown })[keys[i]]);
    if (e) errs.push(e);
  }
  return errs.length ? name + ': ' + errs.join('; ') : '';
}

/** Settings as MQTT carries them: snake_case keys. */
export function settingsToPayload(s: Settings): { [key: string]: number | string | boolean } {
  const out: { [key: string]: number | string | boolean } = {};
  for (let i = 0; i < SETTINGS.length; i++) out[snakeKey(SETTINGS[i].key)] = (s as { [k: string]: number | string | boolean })[SETTINGS[i].key];
  return out;
}

/**
 * The payload string for an outgoing (or test) message. Throws when the value does not match
 * the table: publishing code must not be able to send the wrong shape.
 */
export function buildPayload<N extends TopicName>(name: N, value: JsonPayload<N> | string | Settings): string {
  const t = TOPICS[name] as TopicDecl;
  if (t.payload === 'text') {
    if ((t.values as readonly string[]).indexOf(value as string) < 0) {
      throw new Error(name + ' payload must be one of ' + (t.values as readonly string[]).join(', ') + ', got ' + value);
    }
    return value as string;
  }
  if (t.payload === 'settings') {
    const r = applySettings(value as Settings, {});
    if (!r.ok) throw new Error(name + ': ' + r.errors.join('; '));
    return JSON.stringify(settingsToPayload(r.value));
  }
  const err = validateJson(name, value);
  if (err) throw new Error(err);
  return JSON.stringify(value);
}

function parseJson(text: string): Parsed<unknown> {
  if (text.length > 65536) return { ok: false, error: 'payload larger than 64 KiB' };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: 'payload is not valid JSON: ' + (e as Error).message };
  }
}

/** Parses a JSON or text topic's payload against the table. Never throws. */
export function parsePayload<N extends TopicName>(name: N, text: string): Parsed<JsonPayload<N> | string> {
  const t = TOPICS[name] as TopicDecl;
  if (t.payload === 'text') {
    const v = String(text).trim();
    if ((t.values as readonly string[]).indexOf(v) >= 0) return { ok: true, value: v };
    return { ok: false, error: name + ' payload must be one of ' + (t.values as readonly string[]).join(', ') + ', got "' + v.substr(0, 40) + '"' };
  }
  const p = parseJson(text);
  if (!p.ok) return p;
  if (t.payload === 'settings') {
    return { ok: false, error: 'use parseSettingsPayload for ' + name };
  }
  const err = validateJson(name, p.value);
  return err ? { ok: false, error: err } : { ok: true, value: p.value as JsonPayload<N> };
}

/** Parses a `config/set` (or `config`) payload and merges it onto `base`. Never throws. */
export function parseSettingsPayload(text: string, base: Settings): SettingsResult {
  const p = parseJson(text);
  if (!p.ok) return { ok: false, errors: [p.error] };
  return applySettings(base, p.value, true);
}

/** A command for a clip, as parsed from `{clip}/command`. */
export type Command =
  | { command: 'calibrate' }
  | { command: 'snooze'; minutes: number | null }
  | { command: 'unsnooze' }
  | { command: 'test_buzz'; pattern: string }
  | { command: 'sync' };

const PATTERNS = BUZZ_PATTERNS as readonly string[];

/**
 * Parses a command payload: plain text (`calibrate`) or JSON (`{"command": "snooze", "minutes": 15}`).
 * Snooze minutes are checked against the snoozeMin setting's range. Never throws.
 */
export function parseCommand(text: string): Parsed<Command> {
  const raw = String(text).trim();
  let obj: { [k: string]: unknown };
  if (raw.charAt(0) === '{') {
    const p = parseJson(raw);
    if (!p.ok) return p;
    if (p.value === null || typeof p.value !== 'object' || Array.isArray(p.value)) return { ok: false, error: 'command must be a JSON object' };
    obj = p.value as { [k: string]: unknown };
  } else {
    obj = { command: raw };
  }
  const values = TOPICS.command.values as readonly string[];
  const c = obj.command;
  if (typeof c !== 'string' || values.indexOf(c) < 0) {
    return { ok: false, error: 'unknown command ' + JSON.stringify(c === undefined ? null : c).substr(0, 40) + '; known: ' + values.join(', ') };
  }
  if (c === 'snooze') {
    const m = obj.minutes;
    if (m === undefined || m === null) return { ok: true, value: { command: 'snooze', minutes: null } };
    const d = settingDef('snoozeMin');
    if (typeof m !== 'number' || Math.floor(m) !== m || !d || m < d.min || m > d.max) {
      return { ok: false, error: 'snooze minutes must be a whole number from ' + (d ? d.min : 1) + ' to ' + (d ? d.max : 240) };
    }
    return { ok: true, value: { command: 'snooze', minutes: m } };
  }
  if (c === 'test_buzz') {
    const pat = obj.pattern === undefined ? 'slouch' : obj.pattern;
    if (typeof pat !== 'string' || PATTERNS.indexOf(pat) < 0) return { ok: false, error: 'test_buzz pattern must be one of ' + PATTERNS.join(', ') };
    return { ok: true, value: { command: 'test_buzz', pattern: pat } };
  }
  return { ok: true, value: { command: c } as Command };
}
