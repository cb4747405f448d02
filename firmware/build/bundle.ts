// Builds the JavaScript that goes onto the clip: one esbuild IIFE, then the Espruino check.
// Target es2017 keeps esbuild from emitting syntax newer than Espruino's parser (it lowers `?.`,
// `??`, `??=`, object spread, class fields and `catch {}` to ES2017 forms), but ES2015 syntax
// Espruino still lacks (destructuring, default/rest parameters, array spread, `**`, async,
// generators) passes through untouched, so every bundle is checked before it is returned.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Parser } from 'acorn';
import { build, transform } from 'esbuild';
import type { Plugin } from 'esbuild';
import { checkEspruinoSource, formatViolations } from './espruinoCheck.ts';
import { inlineConstants } from './inlineConstants.ts';
import { releaseBootCode } from './releaseBootCode.ts';
import { shortNames } from './internalProps.ts';

/** Options of {@link buildEspruinoBundle}. */
export interface EspruinoBundleOptions {
  /** Entry TypeScript (or JavaScript) file. */
  entry: string;
  /** Minify (default true): Espruino executes source text, so every byte costs memory and time. */
  minify?: boolean;
  /** Compile-time constants, e.g. `{ 'process.env.BOARD': '"PUCKJS"' }` (values are JS expressions). */
  define?: Record<string, string>;
  /** Restricted globals the bundle may reference anyway (see EspruinoCheckOptions). */
  allowGlobals?: readonly string[];
  /** Keep `doc: '…'` strings of the shared tables (default false: they are for docs, not the clip). */
  keepDocs?: boolean;
  /** Shorten the property names of our own state records (see internalProps.ts). Default false. */
  mangleInternal?: boolean;
  /**
   * Further string-valued table properties to strip with `doc`. Default: `['unit']` for a
   * mangled (clip) build, where no code reads a setting's unit (only the docs, Home Assistant and
   * the bridge's messages do), else none. The build fails if the bundle reads a stripped key.
   */
  stripKeys?: readonly string[];
  /** Build with `NAPE_TERSE` (shared/terse.ts): people-facing error text dropped. Default: with mangleInternal. */
  terse?: boolean;
  /** Free boot-only top-level functions once boot is done (see releaseBootCode.ts). Default: with mangleInternal. */
  releaseBoot?: boolean;
  /** Fold top-level numeric constants into their uses (see inlineConstants.ts). Default: with mangleInternal. */
  foldConstants?: boolean;
}

interface AstNode { type: string; start: number; end: number; name?: string; value?: unknown; key?: AstNode; [k: string]: unknown }

/**
 * Removes every `doc: '…'` property (a string literal value) from a JavaScript source. The
 * tables in shared/ carry one sentence per row for the generated docs and the dashboard; on
 * the clip they would only cost Storage and RAM.
 */
export function stripDocProperties(js: string, keys: readonly string[] = ['doc']): string {
  const ast = Parser.parse(js, { ecmaVersion: 'latest', sourceType: 'module' }) as unknown as AstNode;
  const cuts: [number, number][] = [];
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    const n = node as AstNode;
    if (n.type === 'ObjectExpression') {
      const props = n.properties as AstNode[];
      props.forEach((p, i) => {
        const v = p.value as AstNode | undefined;
        const k = p.key ? p.key.name || p.key.value : undefined;
        if (p.type === 'Property' && typeof k === 'string' && keys.includes(k) && v && v.type === 'Literal' && typeof v.value === 'string') {
          // Cut from the end of the previous property (taking its comma) or up to the next one.
          cuts.push(i > 0 ? [props[i - 1].end, p.end] : [p.start, i + 1 < props.length ? props[i + 1].start : p.end]);
        }
      });
    }
    for (const k of Object.keys(n)) if (k !== 'type' && k !== 'start' && k !== 'end') visit(n[k]);
  };
  visit(ast);
  let out = js;
  for (const c of cuts.sort((a, b) => b[0] - a[0])) out = out.slice(0, c[0]) + out.slice(c[1]);
  return out;
}

const stripDocsPlugin = (keys: readonly string[]): Plugin => ({
  name: 'nape-strip-docs',
  setup(b) {
    b.onLoad({ filter: /[\\/]shared[\\/].*\.ts$/ }, async (args) => {
      const ts = await readFile(args.path, 'utf8');
      const js = (await transform(ts, { loader: 'ts', format: 'esm', target: 'es2022', sourcefile: args.path })).code;
      return { contents: stripDocProperties(js, keys), loader: 'js' };
    });
  },
});

/** A built bundle. `bytes` is the UTF-8 size, what the upload and Storage cost. */
export interface EspruinoBundle {
  code: string;
  bytes: number;
}

/**
 * Bundles `entry` for Espruino and checks the result. Throws when esbuild fails or when the
 * output uses anything Espruino cannot run; the error lists each violation as
 * `line:column  rule  message  (snippet)`.
 */
export async function buildEspruinoBundle(opts: EspruinoBundleOptions): Promise<EspruinoBundle> {
  let mangleProps: RegExp | undefined;
  let mangleCache: Record<string, string> | undefined;
  if (opts.mangleInternal) {
    // A first pass only to learn which sources are bundled.
    const probe = await build({ entryPoints: [opts.entry], bundle: true, write: false, metafile: true, format: 'iife', platform: 'neutral', logLevel: 'silent' });
    mangleCache = shortNames(Object.keys(probe.metafile.inputs).map((f) => resolve(f)));
    const names = Object.keys(mangleCache);
    if (names.length) mangleProps = new RegExp('^(' + names.join('|') + ')$');
  }
  const extraKeys = opts.keepDocs ? [] : opts.stripKeys || (opts.mangleInternal ? ['unit'] : []);
  const result = await build({
    mangleProps,
    mangleCache,
    entryPoints: [opts.entry],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'neutral',
    target: 'es2017',
    minify: opts.minify !== false,
    define: Object.assign({}, opts.define, (opts.terse ?? Boolean(opts.mangleInternal)) ? { NAPE_TERSE: 'true' } : {}),
    plugins: opts.keepDocs ? [] : [stripDocsPlugin(['doc'].concat(extraKeys))],
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'silent',
  });
  // esbuild adds "use strict" when the repo tsconfig is strict. Espruino has no strict mode, so
  // the directive only costs bytes and would make the emulator (V8) stricter than the clip.
  let code = result.outputFiles[0].text.replace(/^"use strict";\n?/, '');
  // Native modules: the sources call `espruinoRequire('Storage')` because esbuild would wrap a
  // plain `require` in a Proxy-based shim; on the clip it must be Espruino's own `require`.
  const allow = (opts.allowGlobals || []).slice();
  if (/\bespruinoRequire\(/.test(code)) {
    code = code.replace(/\bespruinoRequire\(/g, 'require(');
    allow.push('require');
  }
  if (opts.foldConstants ?? Boolean(opts.mangleInternal)) code = inlineConstants(code).code;
  if (opts.releaseBoot ?? Boolean(opts.mangleInternal)) code = releaseBootCode(code).code;
  for (const k of extraKeys) {
    if (new RegExp('\\.' + k + '\\b|\\[["\']' + k + '["\']\\]').test(code)) {
      throw new Error('Espruino bundle ' + opts.entry + ' reads `' + k + '`, which the build strips: keep it (stripKeys)');
    }
  }
  const violations = checkEspruinoSource(code, { allowGlobals: allow });
  if (violations.length) {
    throw new Error('Espruino bundle check failed for ' + opts.entry + ' (' + violations.length + ' violation' +
      (violations.length === 1 ? '' : 's') + '):\n' + formatViolations(violations));
  }
  return { code, bytes: Buffer.byteLength(code, 'utf8') };
}
