// The whole of shared/ as one Espruino bundle: it must pass the check, stay small, and compute
// the same results inside the Espruino emulator as in Node.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEspruinoBundle, stripDocProperties } from '../../firmware/build/bundle.ts';
import { createEspruinoVm } from '../../firmware/build/espruinoVm.ts';
import { applySettings, defaultSettings } from '../../shared/config/settings.ts';

const root = resolve(import.meta.dirname, '../..');
// Puck.js Storage holds 40 KB: a bundle beyond that cannot even be stored. All of shared/
// (bridge-only tables included) is measured here; the clip's own bundle needs a tighter budget.
const SIZE_LIMIT = 40 * 1024;

/** Every shared module, as a path relative to shared/ without the extension (e.g. 'config/settings'). */
function sharedModules(): string[] {
  return (readdirSync(join(root, 'shared'), { recursive: true }) as string[])
    .map((f) => f.split('\\').join('/'))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
}

/** An entry that imports every shared module and hangs the namespaces on the global `napeShared`. */
function writeSharedEntry(dir: string, modules: string[]): string {
  const lines = modules.map((m, i) => 'import * as m' + i + ' from ' + JSON.stringify(join(root, 'shared', m + '.ts')) + ';');
  lines.push('declare var napeShared: unknown;');
  // A plain assignment to an undeclared name makes a global on Espruino and in the VM (globalThis is not available).
  lines.push('napeShared = {' + modules.map((m, i) => JSON.stringify(m) + ': m' + i).join(', ') + '};');
  const file = join(dir, 'sharedEntry.ts');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

describe('shared/ as an Espruino bundle', () => {
  let dir: string;
  let entry: string;
  let modules: string[];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'nape-shared-'));
    modules = sharedModules();
    entry = writeSharedEntry(dir, modules);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('builds minified with no violations and fits in Puck.js Storage', async () => {
    const { code, bytes } = await buildEspruinoBundle({ entry });
    console.log('shared/ bundle: ' + modules.length + ' modules, ' + bytes + ' bytes minified');
    expect(bytes).toBe(Buffer.byteLength(code));
    expect(bytes).toBeLessThanOrEqual(SIZE_LIMIT);
  });

  it('builds unminified with no violations too', async () => {
    const { bytes } = await buildEspruinoBundle({ entry, minify: false });
    expect(bytes).toBeGreaterThan(0);
  });

  it('runs in the Espruino emulator and exports what Node sees', async () => {
    const { code } = await buildEspruinoBundle({ entry });
    const vm = createEspruinoVm();
    vm.run(code, 'shared.js');
    const inside = vm.context.napeShared as Record<string, Record<string, unknown>>;
    for (const m of modules) {
      const outside = (await import(join(root, 'shared', m + '.ts'))) as Record<string, unknown>;
      expect(Object.keys(inside[m]).sort(), m).toEqual(Object.keys(outside).sort());
    }
  });

  it('computes the same settings inside the emulator as in Node', async () => {
    const { code } = await buildEspruinoBundle({ entry });
    const vm = createEspruinoVm();
    vm.run(code, 'shared.js');
    const settings = (vm.context.napeShared as Record<string, Record<string, (...a: unknown[]) => unknown>>)['config/settings'];
    const same = (inside: unknown, outside: unknown): void => {
      // Values from the other realm: compare their JSON, not their prototypes.
      expect(JSON.parse(JSON.stringify(inside))).toEqual(JSON.parse(JSON.stringify(outside)));
    };
    same(settings.defaultSettings(), defaultSettings());
    const updates: unknown[] = [
      { thresholdDeg: 20, mode: 'tracking', flipZ: true },
      { thresholdDeg: 4, nope: 1, mode: 'loud' },
      { hysteresisDeg: 15 },
      [1, 2],
      null,
      'x'.repeat(60),
    ];
    for (const u of updates) {
      // Each update is made inside the realm too, so the bundle sees its own objects.
      const insideUpdate = vm.run('(' + JSON.stringify(u) + ')');
      same(settings.applySettings(settings.defaultSettings(), insideUpdate), applySettings(defaultSettings(), u));
    }
  });
});

describe('buildEspruinoBundle', () => {
  it('applies define, drops the "use strict" Espruino ignores, and runs in the emulator with its global', async () => {
    const entry = join(import.meta.dirname, 'fixtures', 'boardName.ts');
    const { code } = await buildEspruinoBundle({ entry, define: { 'process.env.BOARD': '"PUCKJS"' } });
    expect(code.startsWith('"use strict"')).toBe(false);
    expect(code).not.toMatch(/process/);
    const vm = createEspruinoVm();
    vm.run(code);
    expect(vm.context.napeBoard).toBe('board:PUCKJS');
  });
});

describe('the bundle check on built code', () => {
  it('refuses a bundle that uses syntax and built-ins Espruino lacks', async () => {
    const entry = join(import.meta.dirname, 'fixtures', 'forbidden.ts');
    const error = await buildEspruinoBundle({ entry }).then(() => undefined, (e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toMatch(/^Espruino bundle check failed for .*forbidden\.ts \(\d+ violations\):/);
    expect(message).toMatch(/:1:\d+ {2}no-destructuring {2}Espruino has no destructuring\./);
    expect(message).toMatch(/no-default-params {2}Espruino has no default parameters\./);
    expect(message).toMatch(/no-restricted-globals {2}Map is missing on Espruino\./);
    expect(message).toMatch(/no-exponent {2}Espruino has no \*\* operator/);
    expect(message).toMatch(/no-use-before-declare {2}\w+ is used before its function declaration/);
    // esbuild's es2017 target lowers `?.` and `??` to plain conditionals, which Espruino runs.
    expect(message).not.toMatch(/optional chaining/);
  });
});

describe('the Espruino type environment (tsconfig.espruino.json)', () => {
  const configPath = join(root, 'tsconfig.espruino.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });

  const diagnostics = (files: string[]): string[] => {
    const program = ts.createProgram(files, parsed!.options);
    return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  };

  it('accepts shared/', () => {
    expect(parsed!.errors).toEqual([]);
    expect(diagnostics(parsed!.fileNames)).toEqual([]);
  });

  it('refuses built-ins Espruino lacks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nape-types-'));
    try {
      const file = join(dir, 'bad.ts');
      writeFileSync(file, [
        'export const m = new Map<string, number>();',
        'export const h = Math.hypot(3, 4);',
        'export const f = Object.freeze({});',
        'export const a = [1].at(0);',
        'export const ok = Math.atan2(1, 2) + [1].indexOf(1) + Object.keys({}).length + "a".padStart(2).length;',
      ].join('\n'));
      const lib = parsed!.fileNames.filter((f) => f.endsWith('espruino-lib.d.ts'));
      const errors = diagnostics(lib.concat(file));
      expect(errors).toHaveLength(4);
      expect(errors.join('\n')).toMatch(/Cannot find name 'Map'/);
      expect(errors.join('\n')).toMatch(/Property 'hypot' does not exist/);
      expect(errors.join('\n')).toMatch(/Property 'freeze' does not exist/);
      expect(errors.join('\n')).toMatch(/Property 'at' does not exist/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the shared core the clip carries', () => {
  // The firmware bundle has 16 KB of Storage (the rest holds 14+ days of log). The shared
  // core must leave room for the app and board layers: this is the guard that says so.
  const CORE_LIMIT = 14 * 1024;

  it('fits its budget with the table docs stripped', async () => {
    const entry = join(import.meta.dirname, 'fixtures', 'clipCore.ts');
    const stripped = await buildEspruinoBundle({ entry });
    const withDocs = await buildEspruinoBundle({ entry, keepDocs: true });
    console.log(`clip core: ${stripped.bytes} bytes minified (${withDocs.bytes} with table docs), budget ${CORE_LIMIT}`);
    expect(stripped.bytes).toBeLessThanOrEqual(CORE_LIMIT);
    expect(withDocs.bytes - stripped.bytes).toBeGreaterThan(800);
    expect(stripped.code).not.toMatch(/Forward lean beyond calibrated upright/);
    expect(withDocs.code).toMatch(/Forward lean beyond calibrated upright/);
  });
});

describe('stripDocProperties', () => {
  it('removes string doc properties wherever they sit in an object, and nothing else', () => {
    const src = "const a = [{ key: 'x', doc: 'one', min: 1 }, { doc: 'first', key: 'y' }, { key: 'z', doc: \"last\" }, { doc: 'only' }, { doc: 3 }, { docs: 'kept' }];";
    const out = stripDocProperties(src);
    const a = new Function(out.replace('const a =', 'return'))() as unknown[];
    expect(a).toEqual([{ key: 'x', min: 1 }, { key: 'y' }, { key: 'z' }, {}, { doc: 3 }, { docs: 'kept' }]);
  });
});
