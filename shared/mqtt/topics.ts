/**
 * The MQTT API table: every topic nape publishes or listens to, with its payload, QoS,
 * retain flag and direction. Builders, parsers, the bridge, the store and docs/mqtt-api.md all
 * derive from it. JSON keys are snake_case with units in their names.
 */

/** Payload field types: `int`, `num` (finite number), `str`, `bool`, `time` (ISO 8601 string), `obj`; `?` = may be null/absent. */
export type FieldSpec = 'int' | 'num' | 'str' | 'bool' | 'time' | 'obj' | 'int?' | 'num?' | 'str?' | 'bool?' | 'time?' | 'obj?';

/** Who publishes: `out` = nape publishes, `in` = nape listens (commands). */
export type Direction = 'out' | 'in';

/** One topic. `{clip}` is replaced by a sanitised clip id; paths are relative to the base topic unless `absolute`. */
export interface TopicDecl {
  readonly path: string;
  readonly dir: Direction;
  readonly qos: 0 | 1;
  readonly retain: boolean;
  /** `text`: one of `values`; `json`: an object with `fields`; `settings`: a partial settings object. */
  readonly payload: 'text' | 'json' | 'settings';
  readonly values?: readonly string[];
  readonly fields?: { readonly [key: string]: FieldSpec };
  /** True for topics outside the base (Home Assistant's). */
  readonly absolute?: boolean;
  readonly doc: string;
}

/** The default base topic. */
export const BASE_TOPIC = 'nape';

/** The table. */
export const TOPICS = {
  bridgeState: { path: 'bridge/state', dir: 'out', qos: 1, retain: true, payload: 'text', values: ['online', 'offline'],
    doc: 'Bridge availability; `offline` is also the broker-published last will.' },
  bridgeInfo: { path: 'bridge/info', dir: 'out', qos: 1, retain: true, payload: 'json',
    fields: { version: 'str', bridge_id: 'str', radio: 'str', clips: 'int', started_at: 'time' },
    doc: 'What the bridge is: version, id, radio (`noble` or `simulated`) and how many clips it knows.' },
  availability: { path: '{clip}/availability', dir: 'out', qos: 1, retain: true, payload: 'text', values: ['online', 'offline'],
    doc: 'Whether the bridge currently hears the clip (advertising seen or connected recently).' },
  device: { path: '{clip}/device', dir: 'out', qos: 1, retain: true, payload: 'json',
    fields: { clip_id: 'str', name: 'str', model: 'str', board: 'str', firmware: 'str', simulated: 'bool',
      battery_pct: 'int?', clock_valid: 'bool', boot_id: 'int', next_seq: 'int', log_free_pct: 'int?', seen_at: 'time' },
    doc: 'Device facts from the info characteristic, refreshed on every connection.' },
  state: { path: '{clip}/state', dir: 'out', qos: 0, retain: true, payload: 'json',
    fields: { angle_deg: 'num?', lateral_deg: 'num?', activity: 'str', slouching: 'bool', slouch_s: 'int',
      snoozed: 'bool', quiet: 'bool', clip_moved: 'bool', alerts: 'int', battery_pct: 'int?', source: 'str', at: 'time' },
    doc: 'Live posture, throttled; slouch on/off changes are published at once. `source` is `live` or `advert`.' },
  minute: { path: '{clip}/minute', dir: 'out', qos: 1, retain: false, payload: 'json',
    fields: { seq: 'int', at: 'time', time_known: 'bool', boot_id: 'int', activity: 'str', slouch_s: 'int',
      mean_angle_deg: 'num?', max_angle_deg: 'num?', alerts: 'int' },
    doc: 'One per worn minute synced from the clip. Delivered at least once: the store is idempotent on (clip, seq).' },
  event: { path: '{clip}/event', dir: 'out', qos: 1, retain: false, payload: 'json',
    fields: { seq: 'int', at: 'time', time_known: 'bool', boot_id: 'int', event: 'str', arg: 'int', silent: 'bool?' },
    doc: 'A logged event (alert, calibrated, snoozed, clockSet, boot, lowBattery, clipMoved, gap, …) synced from the clip.' },
  config: { path: '{clip}/config', dir: 'out', qos: 1, retain: true, payload: 'settings',
    doc: 'The settings the clip reported, read back after every change.' },
  configSet: { path: '{clip}/config/set', dir: 'in', qos: 1, retain: false, payload: 'settings',
    doc: 'Change settings: any subset of the settings as snake_case keys, validated before it reaches the clip.' },
  configResult: { path: '{clip}/config/result', dir: 'out', qos: 1, retain: false, payload: 'json',
    fields: { ok: 'bool', errors: 'obj', request: 'obj?', at: 'time' },
    doc: 'The answer to a `config/set`: ok, or the list of errors (from the bridge or the clip); nothing is changed on error.' },
  command: { path: '{clip}/command', dir: 'in', qos: 1, retain: false, payload: 'text',
    values: ['calibrate', 'snooze', 'unsnooze', 'test_buzz', 'sync'],
    doc: 'A command for the clip. Plain text, or JSON `{"command": "snooze", "minutes": 15}`.' },
  commandResult: { path: '{clip}/command/result', dir: 'out', qos: 1, retain: false, payload: 'json',
    fields: { command: 'str', ok: 'bool', error: 'str?', at: 'time' },
    doc: 'The outcome of a command.' },
  sync: { path: '{clip}/sync', dir: 'out', qos: 1, retain: true, payload: 'json',
    fields: { state: 'str', acked_seq: 'int', records: 'int', bad_frames: 'int', last_sync_at: 'time?', error: 'str?' },
    doc: 'Sync status: `idle`, `syncing` or `error`, the clip seq acknowledged so far and counters.' },
  haStatus: { path: 'homeassistant/status', dir: 'in', qos: 1, retain: false, payload: 'text', values: ['online', 'offline'],
    absolute: true, doc: "Home Assistant's birth message; nape re-publishes discovery when it says `online`." },
} as const satisfies Record<string, TopicDecl>;

/** A topic name. */
export type TopicName = keyof typeof TOPICS;

type FieldValue<S> = S extends 'int' | 'num' ? number
  : S extends 'str' | 'time' ? string
    : S extends 'bool' ? boolean
      : S extends 'obj' ? unknown
        : S extends 'int?' | 'num?' ? number | null
          : S extends 'str?' | 'time?' ? string | null
            : S extends 'bool?' ? boolean | null
              : unknown;

/** The payload type of a JSON topic, typed from its field table. */
export type JsonPayload<N extends TopicName> = (typeof TOPICS)[N] extends { fields: infer F }
  ? { -readonly [K in keyof F]: FieldValue<F[K]> }
  : never;

/** Clip ids: lower-case letters, digits, `-` and `_`, 1–32 characters; never `+`, `#` or `/`. */
export const CLIP_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,31}$/;

/**
 * Turns any device name or address into a clip id that is safe as one topic level:
 * lower case, runs of other characters become one `-`, at most 32 characters.
 */
export function sanitizeClipId(raw: string): string {
  let out = '';
  let dash = false;
  const s = String(raw).toLowerCase();
  for (let i = 0; i < s.length && out.length < 32; i++) {
    const c = s.charAt(i);
    const ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c === '_' && out.length > 0);
    if (ok) {
      out += c;
      dash = false;
    } else if (!dash && out.length > 0) {
      out += '-';
      dash = true;
    }
  }
  while (out.length && out.charAt(out.length - 1) === '-') out = out.substr(0, out.length - 1);
  return out.length ? out : 'clip';
}

/** True when a base topic is usable: non-empty levels, no wildcards. */
export function isValidBase(base: string): boolean {
  if (!base || base.length > 64) return false;
  const levels = base.split('/');
  for (let i = 0; i < levels.length; i++) {
    if (!levels[i] || levels[i].indexOf('+') >= 0 || levels[i].indexOf('#') >= 0) return false;
  }
  return true;
}
