/**
 * The settings table: the one declaration of every user setting of the clip.
 *
 * Defaults, validation, the BLE config record, the MQTT `/set` payloads, the Home Assistant
 * entities and docs/configuration.md are all derived from this table. Runs on Espruino:
 * no destructuring, spread, default parameters, optional chaining, Map/Set.
 */

/** Kinds of setting. `enum` values travel as their index on BLE and as their label elsewhere. */
export type SettingType = 'int' | 'enum' | 'bool';

/** One row of the table. */
export interface SettingDef {
  /** Key used in config files, MQTT payloads and the BLE record order. */
  readonly key: string;
  readonly type: SettingType;
  /** Inclusive bounds (for `enum`: 0..values.length-1, for `bool`: 0..1). */
  readonly min: number;
  readonly max: number;
  /** Default value: a number, an enum label or a boolean. */
  readonly def: number | string | boolean;
  /** Unit shown in docs and Home Assistant ('' when none). */
  readonly unit: string;
  /** Enum labels, in wire order. */
  readonly values?: readonly string[];
  /** One sentence for the docs and the dashboard. */
  readonly doc: string;
}

/** The table. Order is the BLE wire order: append only, never reorder. */
export const SETTINGS = [
  { key: 'thresholdDeg', type: 'int', min: 5, max: 60, def: 15, unit: '°',
    doc: 'Forward lean beyond calibrated upright that counts as a slouch.' },
  { key: 'delayS', type: 'int', min: 1, max: 600, def: 20, unit: 's',
    doc: 'How long a slouch must last before the clip buzzes.' },
  { key: 'hysteresisDeg', type: 'int', min: 1, max: 15, def: 5, unit: '°',
    doc: 'A slouch ends when the lean falls this far below the threshold for 2 s (or stays under the threshold for 6 s); must be below thresholdDeg.' },
  { key: 'cooldownS', type: 'int', min: 5, max: 3600, def: 60, unit: 's',
    doc: 'Shortest time between two buzzes for the same slouch.' },
  { key: 'mode', type: 'enum', min: 0, max: 1, def: 'training', unit: '', values: ['training', 'tracking'],
    doc: 'training buzzes on a slouch; tracking stays silent and only logs it.' },
  { key: 'snoozeMin', type: 'int', min: 1, max: 240, def: 30, unit: 'min',
    doc: 'How long a double press (or the snooze command) silences alerts.' },
  { key: 'quietStartMin', type: 'int', min: 0, max: 1439, def: 0, unit: 'min',
    doc: 'Start of the daily quiet period, minutes after local midnight (equal start and end: no quiet period).' },
  { key: 'quietEndMin', type: 'int', min: 0, max: 1439, def: 0, unit: 'min',
    doc: 'End of the daily quiet period, minutes after local midnight.' },
  { key: 'buzzStrengthPct', type: 'int', min: 20, max: 100, def: 70, unit: '%',
    doc: 'Motor strength where the board can drive it by PWM.' },
  { key: 'liveIntervalMs', type: 'int', min: 80, max: 10000, def: 200, unit: 'ms',
    doc: 'Interval between live posture notifications while a bridge subscribes.' },
  { key: 'flipZ', type: 'bool', min: 0, max: 1, def: false, unit: '',
    doc: 'Set when the board is worn with its z axis towards the skin instead of away from it.' },
  { key: 'autoRecalibrate', type: 'bool', min: 0, max: 1, def: true, unit: '',
    doc: 'Slowly follow a more upright posture (never towards a slouch, at most 1° a minute).' },
  { key: 'lowBatteryPct', type: 'int', min: 5, max: 50, def: 15, unit: '%',
    doc: 'Battery level that triggers the low-battery buzz and event.' },
] as const;

type Row = (typeof SETTINGS)[number];
type ValueOf<R> = R extends { type: 'enum'; values: readonly (infer V)[] }
  ? V
  : R extends { type: 'bool' }
    ? boolean
    : number;

/** A complete settings record, typed from the table. */
export type Settings = { -readonly [R in Row as R['key']]: ValueOf<R> };
/** A setting key. */
export type SettingKey = keyof Settings;

/** Bytes a setting takes in the BLE config record: 1 when it fits a u8, else 2 (u16). */
export function settingBytes(d: SettingDef): 1 | 2 {
  return d.min >= 0 && d.max <= 255 ? 1 : 2;
}

/** A fresh record with every default. */
export function defaultSettings(): Settings {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < SETTINGS.length; i++) out[SETTINGS[i].key] = SETTINGS[i].def;
  return out as Settings;
}

/** Finds a row by key, or undefined. */
export function settingDef(key: string): SettingDef | undefined {
  for (let i = 0; i < SETTINGS.length; i++) if (SETTINGS[i].key === key) return SETTINGS[i];
  return undefined;
}

/** A setting's value as its wire number (enum index, 0/1 for bool). */
export function settingToWire(d: SettingDef, v: unknown): number {
  if (d.type === 'bool') return v ? 1 : 0;
  if (d.type === 'enum') return (d.values as readonly string[]).indexOf(v as string);
  return v as number;
}

/** A wire number as the setting's value (enum label, boolean). */
export function settingFromWire(d: SettingDef, n: number): number | string | boolean {
  if (d.type === 'bool') return n !== 0;
  if (d.type === 'enum') return (d.values as readonly string[])[n];
  return n;
}

function show(v: unknown): string {
  if (typeof v === 'string') return '"' + (v.length > 40 ? v.substr(0, 40) + '…' : v) + '"';
  if (v === null || typeof v !== 'object') return String(v);
  return Array.isArray(v) ? 'a list' : 'an object';
}

function describe(d: SettingDef): string {
  if (d.type === 'bool') return 'true or false';
  if (d.type === 'enum') return 'one of ' + (d.values as readonly string[]).join(', ');
  return 'a whole number from ' + d.min + ' to ' + d.max + (d.unit ? ' ' + d.unit : '');
}

/** A key in snake_case, as MQTT payloads and config files spell it: `thresholdDeg` → `threshold_deg`. */
export function snakeKey(key: string): string {
  let out = '';
  for (let i = 0; i < key.length; i++) {
    const c = key.charAt(i);
    out += c >= 'A' && c <= 'Z' ? '_' + c.toLowerCase() : c;
  }
  return out;
}

/** Finds a row by its snake_case key, or undefined. */
export function settingDefBySnake(key: string): SettingDef | undefined {
  for (let i = 0; i < SETTINGS.length; i++) if (snakeKey(SETTINGS[i].key) === key) return SETTINGS[i];
  return undefined;
}

/** Checks one value; returns an error message or '' when it is acceptable. `snake` names the key in snake_case. */
export function checkSetting(d: SettingDef, v: unknown, snake?: boolean): string {
  let ok: boolean;
  if (d.type === 'bool') ok = v === true || v === false;
  else if (d.type === 'enum') ok = typeof v === 'string' && (d.values as readonly string[]).indexOf(v) >= 0;
  else ok = typeof v === 'number' && Math.floor(v) === v && v >= d.min && v <= d.max;
  if (ok) return '';
  return (snake ? snakeKey(d.key) : d.key) + ' must be ' + describe(d) + ', got ' + show(v);
}

/** Result of validating settings: the merged record, or every problem found. */
export type SettingsResult = { ok: true; value: Settings } | { ok: false; errors: string[] };

/** Rules that involve more than one setting; '' when the record is consistent. */
export function crossCheck(s: Settings, snake?: boolean): string {
  if (s.hysteresisDeg >= s.thresholdDeg) {
    return (snake ? 'hysteresis_deg' : 'hysteresisDeg') + ' (' + s.hysteresisDeg + ') must be below ' +
      (snake ? 'threshold_deg' : 'thresholdDeg') + ' (' + s.thresholdDeg + ')';
  }
  return '';
}

/**
 * Validates a partial update (e.g. a parsed MQTT `/set` payload or config file) and merges
 * it onto `base`. Unknown keys and bad values are errors; nothing is merged unless all pass.
 * With `snake`, the update's keys are snake_case (MQTT, config files) and so are the messages.
 */
export function applySettings(base: Settings, update: unknown, snake?: boolean): SettingsResult {
  const errors: string[] = [];
  if (update === null || typeof update !== 'object' || Array.isArray(update)) {
    return { ok: false, errors: ['settings must be an object of key: value pairs, got ' + show(update)] };
  }
  const out: Record<string, unknown> = {};
  for (let i = 0; i < SETTINGS.length; i++) out[SETTINGS[i].key] = (base as Record<string, unknown>)[SETTINGS[i].key];
  const keys = Object.keys(update);
  for (let i = 0; i < keys.length; i++) {
    const d = snake ? settingDefBySnake(keys[i]) : settingDef(keys[i]);
    if (!d) {
      errors.push('unknown setting "' + keys[i] + '"; known: ' + SETTINGS.map((r) => (snake ? snakeKey(r.key) : r.key)).join(', '));
      continue;
    }
    const v = (update as Record<string, unknown>)[keys[i]];
    const err = checkSetting(d, v, snake);
    if (err) errors.push(err);
    else out[d.key] = v;
  }
  if (errors.length === 0) {
    const cross = crossCheck(out as Settings, snake);
    if (cross) errors.push(cross);
  }
  return errors.length ? { ok: false, errors: errors } : { ok: true, value: out as Settings };
}
