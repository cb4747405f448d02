import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { OutboxFullError, openOutbox } from '../../bridge/mqtt/outbox.ts';
import type { Outbox, OutboxMessage } from '../../bridge/mqtt/outbox.ts';

const dirs: string[] = [];
const open: Outbox[] = [];

function tmpDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'nape-outbox-'));
  dirs.push(d);
  return d;
}

function openTracked(dir: string, maxEntries?: number): Outbox {
  const o = openOutbox(dir, maxEntries === undefined ? {} : { maxEntries: maxEntries });
  open.push(o);
  return o;
}

function rec(seq: number, clip = 'c1'): OutboxMessage {
  return { topic: 'nape/' + clip + '/minute', payload: JSON.stringify({ seq: seq }), qos: 1, retain: false };
}

function seqs(o: Outbox): number[] {
  return o.pending().map((e) => JSON.parse(String(e.payload)).seq);
}

afterEach(() => {
  for (const o of open.splice(0)) o.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('outbox', () => {
  it('keeps puts in order until acknowledged, across a reopen', () => {
    const dir = tmpDir();
    const a = openTracked(dir);
    const ids = [0, 1, 2, 3].map((i) => a.put(rec(i)));
    expect(ids).toEqual([1, 2, 3, 4]);
    a.ack(ids[1]);
    a.ack(ids[1]); // repeated acks are harmless
    a.ack(999);
    expect(a.depth()).toBe(3);
    expect(seqs(a)).toEqual([0, 2, 3]);
    expect(a.pending(2).map((e) => e.id)).toEqual([1, 3]);
    a.close();

    const b = openTracked(dir);
    expect(b.openReport).toMatchObject({ recovered: 3, tornBytes: 0, damagedLines: 0, compacted: true });
    expect(seqs(b)).toEqual([0, 2, 3]);
    expect(b.pending()[0]).toEqual({ id: 1, topic: 'nape/c1/minute', payload: '{"seq":0}', qos: 1, retain: false });
    // ids are never reused, even after a compaction dropped the highest one
    b.ack(4);
    b.compact();
    b.close();
    const c = openTracked(dir);
    expect(c.put(rec(9))).toBe(5);
  });

  it('keeps retain flags and binary payloads', () => {
    const dir = tmpDir();
    const a = openTracked(dir);
    a.put({ topic: 'nape/c1/config', payload: '{"mode":"tracking"}', qos: 1, retain: true });
    a.put({ topic: 'nape/c1/raw', payload: Buffer.from([0, 255, 10, 13, 0x22]), qos: 1, retain: false });
    a.close();
    const b = openTracked(dir);
    const [x, y] = b.pending();
    expect(x.retain).toBe(true);
    expect(Buffer.isBuffer(y.payload) && [...y.payload]).toEqual([0, 255, 10, 13, 0x22]);
  });

  it('is bounded: a put beyond maxEntries throws OutboxFullError and stores nothing', () => {
    const dir = tmpDir();
    const o = openTracked(dir, 3);
    o.put(rec(1));
    o.put(rec(2));
    expect(() => o.putMany([rec(3), rec(4)])).toThrow(OutboxFullError);
    expect(o.depth()).toBe(2);
    o.put(rec(3));
    let err: unknown;
    try {
      o.put(rec(4));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OutboxFullError);
    expect((err as Error).message).toBe('MQTT outbox is full (3 of 3 messages wait for the broker); records are held on the clip until it drains');
    o.ack(1);
    expect(o.put(rec(4))).toBe(4);
    o.close();
    // a smaller bound on reopen keeps everything already stored
    const p = openTracked(dir, 1);
    expect(p.depth()).toBe(3);
    expect(() => p.put(rec(5))).toThrow(OutboxFullError);
  });

  it('opens a journal with a torn last line with every complete entry', () => {
    const dir = tmpDir();
    const a = openTracked(dir);
    for (let i = 0; i < 5; i++) a.put(rec(i));
    a.ack(2);
    a.close();
    const file = path.join(dir, 'outbox.journal');
    // cut into the middle of a put written after the ack (the bridge died while writing it)
    const b = openTracked(dir);
    b.put(rec(5));
    b.close();
    const withPut = fs.readFileSync(file);
    const putStart = withPut.lastIndexOf('\n', withPut.length - 2) + 1;
    for (const cut of [putStart + 1, putStart + 9, putStart + 30, withPut.length - 1]) {
      fs.writeFileSync(file, withPut.subarray(0, cut));
      const c = openTracked(dir);
      expect(c.openReport.tornBytes).toBe(cut - putStart);
      expect(c.openReport.damagedLines).toBe(0);
      expect(seqs(c)).toEqual([0, 2, 3, 4]);
      // appends after the repair are readable
      c.put(rec(6));
      c.close();
      open.splice(open.indexOf(c), 1);
      const d = openOutbox(dir);
      expect(seqs(d)).toEqual([0, 2, 3, 4, 6]);
      d.close();
    }
  });

  it('skips a damaged line (bad checksum) and keeps the rest', () => {
    const dir = tmpDir();
    const a = openTracked(dir);
    for (let i = 0; i < 3; i++) a.put(rec(i));
    a.close();
    const file = path.join(dir, 'outbox.journal');
    const text = fs.readFileSync(file, 'utf8').replace('{\\"seq\\":1}', '{\\"seq\\":7}');
    fs.writeFileSync(file, text);
    const b = openTracked(dir);
    expect(b.openReport).toMatchObject({ damagedLines: 1, recovered: 2, compacted: true });
    expect(seqs(b)).toEqual([0, 2]);
  });

  it('compacts while running so the journal does not grow with acknowledged entries', () => {
    const dir = tmpDir();
    const o = openTracked(dir);
    for (let i = 0; i < 3000; i++) o.ack(o.put(rec(i)));
    o.put(rec(3000));
    const size = fs.statSync(path.join(dir, 'outbox.journal')).size;
    expect(size).toBeLessThan(200 * 1002);
    o.close();
    open.splice(open.indexOf(o), 1);
    expect(seqs(openTracked(dir))).toEqual([3000]);
  });

  it('refuses a second open of the same directory in one process, and topics with wildcards', () => {
    const dir = tmpDir();
    const o = openTracked(dir);
    expect(() => openOutbox(dir)).toThrow(/already open/);
    expect(() => o.put({ topic: 'nape/+/minute', payload: 'x', qos: 1, retain: false })).toThrow(/wildcards/);
    o.close();
    expect(() => o.put(rec(1))).toThrow(/closed/);
  });

  it('loses no acknowledged put when the process is killed while writing', async () => {
    const dir = tmpDir();
    const outboxUrl = new URL('../../bridge/mqtt/outbox.ts', import.meta.url).href;
    // A writer that reports each id after put returned (the moment the bridge would ack the clip).
    const script = 'import { openOutbox } from ' + JSON.stringify(outboxUrl) + ';\n' +
      'const o = openOutbox(' + JSON.stringify(dir) + ');\n' +
      'for (let i = 0; ; i++) { const id = o.put({ topic: "nape/c1/minute", payload: JSON.stringify({ seq: i, pad: "x".repeat(i % 300) }), qos: 1, retain: false });\n' +
      '  process.stdout.write(id + "\\n"); if (i % 3 === 0) o.ack(id); }\n';
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let errText = '';
    child.stderr.on('data', (d: Buffer) => {
      errText += d.toString();
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.split('\n').length > 400) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.once('exit', (code) => (code ? reject(new Error('writer exited with ' + code + ': ' + errText)) : undefined));
    });
    await new Promise((r) => child.once('exit', r));
    const reported = out.split('\n').filter((l) => /^\d+$/.test(l)).map(Number);
    expect(reported.length).toBeGreaterThanOrEqual(400);
    const o = openTracked(dir);
    const stored = new Set(o.pending().map((e) => e.id));
    for (const id of reported) {
      if ((id - 1) % 3 !== 0) expect(stored.has(id)).toBe(true);
    }
    expect(o.openReport.damagedLines).toBe(0);
  });
});
