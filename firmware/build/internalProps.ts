/**
 * Which property names the firmware build may shorten. Espruino keeps every property name of
 * every object in RAM (names of up to 4 characters fit in one 13-byte variable) and executes
 * source text from Storage, so `st.snoozedUntilMs` costs both. The names of our own state
 * records (the interfaces declared in the bundled sources) are shortened by esbuild's
 * `mangleProps`; a name is kept whenever it might reach something outside our code:
 * - any name declared in a TypeScript lib or in firmware/types/*.d.ts (built-ins, Espruino APIs),
 * - any string literal in the bundled sources (it may be used as a computed key: protocol
 *   fields, settings keys, characteristic names), and the names in a field list 'seq:u32 …',
 * - any member of an interface declared outside shared/ and firmware/src/app (the board layer's
 *   options, e.g. NAPE_PINS, are set by users by name).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { espruinoRestrictedProperties } from './espruinoRules.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Names of declared members (interfaces, classes, type literals) and declarations of a file. */
function declaredNames(sf: ts.SourceFile, out: Set<string>): void {
  const visit = (n: ts.Node): void => {
    if ((ts.isPropertySignature(n) || ts.isMethodSignature(n) || ts.isPropertyDeclaration(n) || ts.isMethodDeclaration(n) ||
      ts.isGetAccessor(n) || ts.isSetAccessor(n)) && n.name && (ts.isIdentifier(n.name) || ts.isStringLiteral(n.name))) {
      out.add(n.name.text);
    }
    if (ts.isVariableDeclaration(n) || ts.isFunctionDeclaration(n) || ts.isClassDeclaration(n) || ts.isInterfaceDeclaration(n) ||
      ts.isTypeAliasDeclaration(n) || ts.isModuleDeclaration(n)) {
      const name = (n as { name?: ts.Node }).name;
      if (name && ts.isIdentifier(name)) out.add(name.text);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
}

/**
 * Every string literal of a file: any of them may be used as a computed property key. The index
 * of an indexed access type (`T['fields']`) is skipped: it exists only for the type checker and
 * names a member of a type, exactly like an interface member, so it is no reason to keep a name.
 */
function stringLiterals(sf: ts.SourceFile, out: Set<string>): void {
  const visit = (n: ts.Node): void => {
    if (ts.isLiteralTypeNode(n) && ts.isIndexedAccessTypeNode(n.parent) && n.parent.indexType === n) return;
    if (ts.isStringLiteralLike(n)) {
      out.add(n.text);
      // The message table lists field names inside one string: 'seq:u32 count:u8 …'.
      if (/^\w+:\w+\*?( \w+:\w+\*?)*$/.test(n.text)) for (const item of n.text.split(' ')) out.add(item.split(':')[0]);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
}

let libNames: Set<string> | null = null;

/** Every member and global name declared by the TypeScript libs and the Espruino declarations. */
function reservedLibNames(): Set<string> {
  if (libNames) return libNames;
  const out = new Set<string>();
  const libDir = dirname(ts.getDefaultLibFilePath({}));
  const files = ts.sys.readDirectory(libDir, ['.d.ts'], undefined, ['lib.es*.d.ts'])
    .concat([join(ROOT, 'firmware', 'types', 'espruino.d.ts'), join(ROOT, 'firmware', 'types', 'espruino-lib.d.ts')]);
  for (const f of files) {
    declaredNames(ts.createSourceFile(f, readFileSync(f, 'utf8'), ts.ScriptTarget.Latest, false), out);
  }
  libNames = out;
  return out;
}

/** True for sources whose interfaces are our own state (shared/ and firmware/src/app/). */
function isInternal(file: string): boolean {
  const rel = file.split('\\').join('/');
  return rel.indexOf('/shared/') >= 0 || rel.indexOf('/firmware/src/app/') >= 0;
}

/**
 * The interface member names declared in the internal sources among `files` that are safe to
 * shorten, sorted. Members declared anywhere else (hal/, the entry, the libs) are kept.
 */
export function internalPropNames(files: readonly string[]): string[] {
  return internalProps(files).names;
}

const KEYWORDS = new Set(('break case catch class const continue debugger default delete do else export extends false finally for ' +
  'function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static ' +
  'enum await implements package protected interface private public arguments eval undefined NaN Infinity').split(' '));

/**
 * Short names for the mangled properties, chosen so they can never meet a real property:
 * none is a keyword, a reserved name (built-ins, Espruino APIs, string keys) or a property
 * Espruino lacks (the bundle check would flag `.at`). Fed to esbuild as its mangle cache.
 */
export function shortNames(files: readonly string[]): Record<string, string> {
  const p = internalProps(files);
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const out: Record<string, string> = {};
  let k = 0;
  const next = (): string => {
    for (;;) {
      let n = k++;
      let name = letters[n % 52];
      n = Math.floor(n / 52);
      while (n > 0) {
        name = letters[(n - 1) % 52] + name;
        n = Math.floor((n - 1) / 52);
      }
      if (!KEYWORDS.has(name) && !p.reserved.has(name)) return name;
    }
  };
  // The most used names get the shortest replacements (uses counted roughly in the sources).
  const text = withImports(files).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(f, 'utf8')).join('\n');
  const uses: Record<string, number> = {};
  for (const n of p.names) uses[n] = (text.match(new RegExp('\\.' + n + '\\b|\\b' + n + '\\s*:', 'g')) || []).length;
  const byUse = p.names.slice().sort((a, b) => uses[b] - uses[a] || (a < b ? -1 : 1));
  for (const n of byUse) out[n] = next();
  return out;
}

/**
 * `files` plus every file they import, transitively. esbuild lists only the files that end up in
 * the bundle, so a file imported for its types alone (app/ports.ts) would be missing: its
 * interfaces would not be shortened, and the names it declares outside app/ would not be kept.
 */
function withImports(files: readonly string[]): string[] {
  const out = files.slice();
  const seen = new Set<string>(out);
  for (let i = 0; i < out.length; i++) {
    if (!out[i].endsWith('.ts')) continue;
    const sf = ts.createSourceFile(out[i], readFileSync(out[i], 'utf8'), ts.ScriptTarget.Latest, false);
    for (const st of sf.statements) {
      if (!ts.isImportDeclaration(st) && !ts.isExportDeclaration(st)) continue;
      const spec = st.moduleSpecifier;
      if (!spec || !ts.isStringLiteral(spec) || !spec.text.startsWith('.')) continue;
      const target = join(dirname(out[i]), spec.text);
      if (!seen.has(target) && existsSync(target)) {
        seen.add(target);
        out.push(target);
      }
    }
  }
  return out;
}

function internalProps(bundled: readonly string[]): { names: string[]; reserved: Set<string> } {
  const files = withImports(bundled);
  const declared = new Set<string>();
  const reserved = new Set<string>(reservedLibNames());
  for (const f of files) {
    if (!f.endsWith('.ts')) continue;
    const sf = ts.createSourceFile(f, readFileSync(f, 'utf8'), ts.ScriptTarget.Latest, true);
    stringLiterals(sf, reserved);
    if (!isInternal(f)) {
      declaredNames(sf, reserved);
      continue;
    }
    const visit = (n: ts.Node): void => {
      if (ts.isInterfaceDeclaration(n)) {
        for (const m of n.members) if (m.name && ts.isIdentifier(m.name)) declared.add(m.name.text);
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  // Properties Espruino lacks: the bundle check flags any `.at` or `.flat`, ours included.
  for (const r of espruinoRestrictedProperties) reserved.add(r.property);
  return { names: [...declared].filter((n) => !reserved.has(n)).sort(), reserved };
}
