import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MESSAGES, PROTOCOL_VERSION, decode, encode, fieldsOf, fixedSize, isDecodeError, maxSize, messageById, recordsPerFrame,
} from '../../shared/protocol/index.ts';
import type { AnyMessage, DecodeResult, MessageDecl, MessageName } from '../../shared/protocol/index.ts';
import { CHARACTERISTICS } from '../../shared/protocol/uuids.ts';

interface Golden { name: MessageName; note: string; value: Record<string, unknown>; hex: string }
const golden = JSON.parse(readFileSync(new URL('../fixtures/protocol-golden.json', import.meta.url), 'utf8')) as { frames: Golden[] };
const names = Object.keys(MESSAGES) as MessageName[];
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Encode, decode, and hand back what came out: the round trip the golden and property tests share. */
function encodeAndDecode(name: MessageName, value: Record<string, unknown>): DecodeResult {
  return decode(encode(name, value as never));
}

describe('golden vectors', () => {
  it('cover every message in the table', () => {
    expect(new Set(golden.frames.map((g) => g.name))).toEqual(new Set(names));
  });

  for (const g of golden.frames) {
    it(`${g.name}: ${g.note}`, () => {
      expect(hex(encode(g.name, g.value as never))).toBe(g.hex);
      expect(decode(new Uint8Array(Buffer.from(g.hex, 'hex')))).toEqual({ name: g.name, value: g.value });
      expect(encodeAndDecode(g.name, g.value)).toEqual({ name: g.name, value: g.value });
    });
  }
});

describe('the table', () => {
  it('has unique ids and every frame starts with the protocol version', () => {
    const ids = names.map((n) => MESSAGES[n].id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const n of names) expect(messageById(MESSAGES[n].id)).toBe(n);
    expect(encode('calibrate', {})[0]).toBe(PROTOCOL_VERSION);
  });

  it('keeps every message within its characteristic and the advertising budget', () => {
    for (const n of names) {
      const m = MESSAGES[n] as MessageDecl;
      const limit = m.ch === 'adv' ? 24 - 2 : m.ch === 'result' ? CHARACTERISTICS.control.maxLen : CHARACTERISTICS[m.ch].maxLen;
      expect(maxSize(n), n).toBeLessThanOrEqual(limit);
    }
    // Writes and live notifications must fit the default 20-byte payload (no MTU exchange needed).
    for (const n of names) {
      const ch = (MESSAGES[n] as MessageDecl).ch;
      if (ch === 'control' || ch === 'result' || ch === 'live' || ch === 'config') expect(maxSize(n), n).toBeLessThanOrEqual(20);
    }
  });

  it('packs as many log records as the MTU allows', () => {
    expect(recordsPerFrame(23)).toBe(6); // default MTU: 20-byte payload, 7-byte header
    expect(recordsPerFrame(53)).toBe(21); // Puck.js after MTU exchange: 50-byte payload
    expect(recordsPerFrame(131)).toBe(60); // Bangle.js 2: 128 bytes, capped by the table
    for (const mtu of [23, 53, 131, 247]) {
      const n = recordsPerFrame(mtu);
      expect(fixedSize('logRecords') + n * 2).toBeLessThanOrEqual(mtu - 3);
    }
  });
});

/** A fast-check arbitrary for any valid value of a message. */
function arbValue(name: MessageName): fc.Arbitrary<Record<string, unknown>> {
  const m = MESSAGES[name] as MessageDecl;
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  const ranges: Record<string, [number, number]> = {
    u8: [0, 255], i8: [-128, 127], u16: [0, 65535], i16: [-32768, 32767], u32: [0, 4294967295], i32: [-2147483648, 2147483647],
  };
  for (const f of fieldsOf(m)) {
    if (f[1] === 'u16*') continue;
    const r = ranges[f[1]];
    shape[f[0]] = fc.integer({ min: r[0], max: r[1] });
  }
  if (!m.max) return fc.record(shape);
  return fc.tuple(fc.record(shape), fc.array(fc.integer({ min: 0, max: 65535 }), { maxLength: m.max }))
    .map(([v, a]) => ({ ...v, count: a.length, records: a }));
}

describe('round trip (property)', () => {
  for (const n of names) {
    it(`${n}: decode(encode(v)) = v, size within maxSize`, () => {
      fc.assert(fc.property(arbValue(n), (v) => {
        expect(encode(n, v as never).length).toBeLessThanOrEqual(maxSize(n));
        expect(encodeAndDecode(n, v)).toEqual({ name: n, value: v });
      }), { numRuns: 300 });
    });
  }

  it('refuses to encode values that do not fit their field', () => {
    expect(() => encode('snooze', { minutes: 256 })).toThrow(/snooze.minutes must be an integer in 0..255/);
    expect(() => encode('setClock', { unixS: 1.5, tzOffsetMin: 0 })).toThrow(/unixS/);
    expect(() => encode('logRecords', { firstSeq: 0, count: 0, records: new Array(61).fill(0) })).toThrow(/at most 60/);
  });
});

describe('decode errors', () => {
  const info = encode('info', golden.frames[0].value as never);
  const cases: [string, Uint8Array, string, number][] = [
    ['empty', new Uint8Array(0), 'empty', 0],
    ['only a version byte', new Uint8Array([1]), 'truncated', 0],
    ['another protocol version', new Uint8Array([2, 0x10]), 'version', 0],
    ['an unknown id', new Uint8Array([1, 0xee]), 'unknownId', 1],
    ['a truncated info frame', info.subarray(0, 20), 'truncated', 20],
    ['an info frame with a trailing byte', new Uint8Array([...info, 0]), 'tooLong', info.length],
    ['records fewer than announced', new Uint8Array([1, 0x31, 0, 0, 0, 0, 3, 1, 0, 2, 0]), 'truncated', 11],
    ['records with an odd trailing byte', new Uint8Array([1, 0x31, 0, 0, 0, 0, 1, 1, 0, 2]), 'tooLong', 9],
    ['a count above the table maximum', new Uint8Array([1, 0x31, 0, 0, 0, 0, 61]), 'count', 6],
  ];
  for (const [what, bytes, kind, offset] of cases) {
    it(`reports ${kind} at byte ${offset} for ${what}`, () => {
      const r = decode(bytes);
      expect(isDecodeError(r)).toBe(true);
      expect(r).toMatchObject({ error: kind, offset });
      expect((r as { message: string }).message.length).toBeGreaterThan(5);
    });
  }

  it('rejects a message on the wrong characteristic', () => {
    expect(decode(encode('calibrate', {}), ['log'])).toMatchObject({ error: 'wrongChannel', offset: 1 });
    expect(decode(encode('logEnd', { nextSeq: 1 }), ['log'])).toEqual({ name: 'logEnd', value: { nextSeq: 1 } });
  });
});

describe('fuzz', () => {
  it('decodes 120,000 random, truncated and mutated frames without an exception escaping', () => {
    const valid = golden.frames.map((g) => new Uint8Array(Buffer.from(g.hex, 'hex')));
    let seed = 0x9e3779b9;
    const rnd = () => {
      seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
      return (seed >>> 0) / 4294967296;
    };
    const counts = { ok: 0, error: 0 };
    const kinds = new Set<string>();
    for (let i = 0; i < 120_000; i++) {
      let frame: Uint8Array;
      const base = valid[Math.floor(rnd() * valid.length)];
      const mode = i % 4;
      if (mode === 0) {
        frame = new Uint8Array(Math.floor(rnd() * 140));
        for (let j = 0; j < frame.length; j++) frame[j] = Math.floor(rnd() * 256);
        if (frame.length > 0 && rnd() < 0.7) frame[0] = PROTOCOL_VERSION;
      } else if (mode === 1) {
        frame = base.slice(0, Math.floor(rnd() * (base.length + 1)));
      } else if (mode === 2) {
        frame = base.slice();
        const flips = 1 + Math.floor(rnd() * 4);
        for (let k = 0; k < flips && frame.length; k++) frame[Math.floor(rnd() * frame.length)] = Math.floor(rnd() * 256);
      } else {
        const extra = new Uint8Array(Math.floor(rnd() * 8));
        frame = new Uint8Array([...base, ...extra]);
        if (frame.length > 6 && rnd() < 0.5) frame[6] = Math.floor(rnd() * 256);
      }
      // A frame that is a view into a larger buffer must decode the same as a copy.
      const padded = new Uint8Array(frame.length + 3);
      padded.set(frame, 3);
      let r: DecodeResult;
      let r2: DecodeResult;
      try {
        r = decode(frame);
        r2 = decode(padded.subarray(3));
      } catch (e) {
        throw new Error(`decode threw on ${hex(frame)}: ${String(e)}`, { cause: e });
      }
      expect(r2).toEqual(r);
      if (isDecodeError(r)) {
        counts.error++;
        kinds.add(r.error);
        expect(r.offset).toBeGreaterThanOrEqual(0);
        expect(r.offset).toBeLessThanOrEqual(frame.length);
      } else {
        counts.ok++;
        // Whatever decodes must encode back to the same bytes: no two encodings for one value.
        expect(hex(encode((r as AnyMessage).name, (r as AnyMessage).value as never))).toBe(hex(frame));
      }
    }
    expect(counts.ok + counts.error).toBe(120_000);
    expect(counts.ok).toBeGreaterThan(1000);
    expect([...kinds].sort()).toEqual(['count', 'empty', 'tooLong', 'truncated', 'unknownId', 'version']);
  });
});
