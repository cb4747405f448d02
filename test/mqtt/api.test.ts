import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../shared/config/settings.ts';
import {
  buildPayload, filterFor, matchTopic, parseCommand, parsePayload, parseSettingsPayload, settingsToPayload, topicFor,
} from '../../shared/mqtt/api.ts';
import { CLIP_ID_PATTERN, TOPICS, isValidBase, sanitizeClipId } from '../../shared/mqtt/topics.ts';
import type { TopicName } from '../../shared/mqtt/topics.ts';

const names = Object.keys(TOPICS) as TopicName[];

describe('topics', () => {
  it('builds, filters and matches every topic of the table', () => {
    for (const n of names) {
      const topic = topicFor(n, 'puck-a1b2');
      expect(topic).not.toMatch(/[+#]/);
      expect(matchTopic(topic)).toEqual({ name: n, clip: TOPICS[n].path.includes('{clip}') ? 'puck-a1b2' : null });
      const filter = filterFor(n);
      expect(filter.replace('+', 'puck-a1b2')).toBe(topic);
    }
    expect(topicFor('minute', 'c1', 'home/posture')).toBe('home/posture/c1/minute');
    expect(matchTopic('home/posture/c1/minute', 'home/posture')).toEqual({ name: 'minute', clip: 'c1' });
    expect(topicFor('haStatus')).toBe('homeassistant/status');
  });

  it('does not confuse config with config/set or match foreign topics', () => {
    expect(matchTopic('nape/c1/config')).toEqual({ name: 'config', clip: 'c1' });
    expect(matchTopic('nape/c1/config/set')).toEqual({ name: 'configSet', clip: 'c1' });
    expect(matchTopic('nape/a/b/minute')).toBeNull();
    expect(matchTopic('other/c1/minute')).toBeNull();
    expect(matchTopic('nape//minute')).toBeNull();
  });

  it('refuses to build a topic with an unsafe clip id or base', () => {
    expect(() => topicFor('minute', '+')).toThrow(/invalid clip id/);
    expect(() => topicFor('minute', 'a/b')).toThrow(/invalid clip id/);
    expect(() => topicFor('minute')).toThrow(/invalid clip id/);
    expect(() => topicFor('minute', 'c1', 'nape/#')).toThrow(/invalid MQTT base/);
    expect(isValidBase('a//b')).toBe(false);
  });

  it('sanitises any device name into a safe clip id', () => {
    expect(sanitizeClipId('Puck.js a1b2')).toBe('puck-js-a1b2');
    expect(sanitizeClipId('E7:4E:9A:01:02:03')).toBe('e7-4e-9a-01-02-03');
    expect(sanitizeClipId('+/#')).toBe('clip');
    expect(sanitizeClipId('')).toBe('clip');
    fc.assert(fc.property(fc.string({ maxLength: 80 }), (s) => {
      const id = sanitizeClipId(s);
      expect(id).toMatch(CLIP_ID_PATTERN);
      expect(sanitizeClipId(id)).toBe(id);
    }), { numRuns: 2000 });
  });
});

describe('payloads', () => {
  const minute = {
    seq: 12, at: '2026-11-24T14:31:00.000Z', time_known: true, boot_id: 3, activity: 'still', slouch_s: 26,
    mean_angle_deg: 18, max_angle_deg: 23, alerts: 1,
  };

  it('round-trips a JSON payload through build and parse', () => {
    const text = buildPayload('minute', minute);
    expect(parsePayload('minute', text)).toEqual({ ok: true, value: minute });
  });

  it('refuses to publish the wrong shape', () => {
    expect(() => buildPayload('minute', { ...minute, seq: 'x' } as never)).toThrow(/minute: seq must be a int/);
    expect(() => buildPayload('bridgeState', 'maybe')).toThrow(/online, offline/);
  });

  it('parses bad input into clear errors, never throwing', () => {
    expect(parsePayload('minute', '{')).toMatchObject({ ok: false, error: expect.stringMatching(/not valid JSON/) });
    expect(parsePayload('minute', '[]')).toEqual({ ok: false, error: 'minute payload must be a JSON object' });
    expect(parsePayload('minute', JSON.stringify({ ...minute, at: 'yesterday', alerts: null })))
      .toEqual({ ok: false, error: 'minute: at must be an ISO 8601 time; alerts is required' });
    expect(parsePayload('haStatus', ' online\n')).toEqual({ ok: true, value: 'online' });
    fc.assert(fc.property(fc.string({ maxLength: 200 }), fc.constantFrom(...names), (s, n) => {
      expect(() => (TOPICS[n].payload === 'settings' ? parseSettingsPayload(s, defaultSettings()) : parsePayload(n, s))).not.toThrow();
    }), { numRuns: 3000 });
  });

  it('carries settings as snake_case and validates updates against the table', () => {
    const s = defaultSettings();
    expect(JSON.parse(buildPayload('config', s))).toEqual(settingsToPayload(s));
    expect(settingsToPayload(s)).toMatchObject({ threshold_deg: 15, delay_s: 20, mode: 'training' });
    expect(parseSettingsPayload('{"threshold_deg": 20}', s)).toMatchObject({ ok: true, value: { thresholdDeg: 20 } });
    expect(parseSettingsPayload('{"threshold_deg": 200}', s)).toEqual({
      ok: false, errors: ['threshold_deg must be a whole number from 5 to 60 °, got 200'],
    });
    expect(parseSettingsPayload('nope', s)).toMatchObject({ ok: false, errors: [expect.stringMatching(/not valid JSON/)] });
  });
});

describe('commands', () => {
  it('accepts plain text and JSON forms', () => {
    expect(parseCommand('calibrate')).toEqual({ ok: true, value: { command: 'calibrate' } });
    expect(parseCommand(' sync\n')).toEqual({ ok: true, value: { command: 'sync' } });
    expect(parseCommand('snooze')).toEqual({ ok: true, value: { command: 'snooze', minutes: null } });
    expect(parseCommand('{"command":"snooze","minutes":15}')).toEqual({ ok: true, value: { command: 'snooze', minutes: 15 } });
    expect(parseCommand('{"command":"test_buzz","pattern":"calibrated"}')).toEqual({ ok: true, value: { command: 'test_buzz', pattern: 'calibrated' } });
  });

  it('rejects unknown commands and bad arguments with a clear message', () => {
    expect(parseCommand('reboot')).toEqual({ ok: false, error: 'unknown command "reboot"; known: calibrate, snooze, unsnooze, test_buzz, sync' });
    expect(parseCommand('{"command":"snooze","minutes":0}')).toEqual({ ok: false, error: 'snooze minutes must be a whole number from 1 to 240' });
    expect(parseCommand('{"command":"test_buzz","pattern":"siren"}')).toMatchObject({ ok: false });
    expect(parseCommand('{"command":')).toMatchObject({ ok: false, error: expect.stringMatching(/not valid JSON/) });
    expect(parseCommand('[1]')).toMatchObject({ ok: false });
  });
});
