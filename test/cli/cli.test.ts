import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = new URL('../../bridge/cli/bin.js', import.meta.url).pathname;

/** Runs the real `nape` binary as a user would, returning its exit code and output. */
async function nape(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [BIN, ...args], { timeout: 60_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

describe('nape command', () => {
  it('prints help with no arguments and exits 0', async () => {
    const r = await nape();
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: nape/);
    expect(r.stdout).toMatch(/docs/);
  });

  it('prints its version', async () => {
    const r = await nape('--version');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('says what is wrong with an unknown command and exits 2 without a stack trace', async () => {
    const r = await nape('frobnicate');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'frobnicate'/);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it('scan without a Bluetooth adapter (this machine, CI) says so in one line and exits 3', async () => {
    const r = await nape('scan', '--seconds', '1');
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^nape: No Bluetooth adapter found \(EAFNOSUPPORT\)/);
  });

  it('scan --simulate hears virtual clips (the real firmware in the emulator) through the real noble', async () => {
    const r = await nape('scan', '--simulate', '2', '--seconds', '3', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const clips = JSON.parse(r.stdout) as { name: string; batteryPct: number; activity: string; rssi: number; nextSeq: number }[];
    expect(clips).toHaveLength(2);
    for (const c of clips) {
      expect(c.name).toBe('nape');
      expect(c.batteryPct).toBe(100);
      expect(c.rssi).toBeGreaterThan(-70);
      expect(c.nextSeq).toBeGreaterThan(0);
    }
  }, 90_000);

  it('scan rejects a bad --seconds before touching the radio', async () => {
    const r = await nape('scan', '--seconds', 'soon');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--seconds must be a number from 0.5 to 600, got "soon"/);
  });

  it('checks that the committed docs are current', async () => {
    const r = await nape('docs', '--check');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/docs up to date/);
  });
});
