/**
 * `npm run build:firmware`: bundles firmware/src/main.ts for Espruino into dist/firmware/nape.js
 * (readable) and nape.min.js (what goes onto the clip), checks both for syntax and built-ins
 * Espruino lacks, and fails when the minified bundle is over its Storage budget.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildEspruinoBundle } from './bundle.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Bytes of Storage the minified firmware may take: 40 KB Puck.js Storage minus the log ring and settings. */
export const FIRMWARE_BUDGET_BYTES = 16 * 1024;

/** The built firmware. */
export interface FirmwareBuild {
  plain: string;
  minified: string;
  plainBytes: number;
  minBytes: number;
}

/** Builds both forms of the firmware (no files written). */
export async function buildFirmware(): Promise<FirmwareBuild> {
  const entry = join(ROOT, 'firmware', 'src', 'main.ts');
  const plain = await buildEspruinoBundle({ entry, minify: false });
  const min = await buildEspruinoBundle({ entry, minify: true, mangleInternal: true });
  return { plain: plain.code, minified: min.code, plainBytes: plain.bytes, minBytes: min.bytes };
}

/** Writes dist/firmware/nape.js and nape.min.js; returns the folder. */
export function writeFirmwareFiles(b: FirmwareBuild, outDir = join(ROOT, 'dist', 'firmware')): string {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'nape.js'), b.plain);
  writeFileSync(join(outDir, 'nape.min.js'), b.minified);
  return outDir;
}
