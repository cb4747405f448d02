/**
 * The settings a replay runs with: the clip's defaults (shared/config/settings.ts), then a JSON
 * config file (snake_case keys, as in MQTT payloads), then --threshold and --delay; every
 * layer validated by the same applySettings the clip and the bridge use.
 */
import { readFileSync } from 'node:fs';
import { applySettings, defaultSettings } from '../../shared/config/settings.ts';
import type { Settings } from '../../shared/config/settings.ts';
import { BadInputError } from '../cli/badInput.ts';

/** Where replay settings come from. */
export interface ReplaySettingsOptions {
  /** Path of a JSON config file. */
  config?: string;
  /** --threshold and --delay as typed. */
  threshold?: string;
  delay?: string;
}

function readConfig(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new BadInputError(`cannot read config file ${path}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new BadInputError(`config file ${path} is not valid JSON: ${(e as Error).message}`);
  }
}

function merge(base: Settings, update: unknown, snake: boolean, source: string): Settings {
  const r = applySettings(base, update, snake);
  if (!r.ok) throw new BadInputError(`${source}: ${r.errors.join('; ')}`);
  return r.value;
}

function numberFlag(flag: string, v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new BadInputError(`${flag} must be a number, got "${v}"`);
  return n;
}

/** The merged, validated settings; BadInputError names the file or flag at fault. */
export function replaySettings(o: ReplaySettingsOptions): Settings {
  let s = defaultSettings();
  if (o.config !== undefined) s = merge(s, readConfig(o.config), true, `config file ${o.config}`);
  const flags: Record<string, number> = {};
  if (o.threshold !== undefined) flags.thresholdDeg = numberFlag('--threshold', o.threshold);
  if (o.delay !== undefined) flags.delayS = numberFlag('--delay', o.delay);
  return merge(s, flags, false, '--threshold/--delay');
}
