/**
 * Which property names the firmware build may shorten. Espruino keeps every property name of
 * every object in RAM (names of up to 4 characters fit in one 13-byte variable) and executes
 * source text from Storage, so `st.snoozedUntilMs` costs both. The names of our own state
 * records (the interfaces declared in the bundled sources) are shortened by esbuild's
 * `mangleProps`; a name is kept whenever it might reach something outside our code:
 * - any name declared in a TypeScript lib or in firmware/types/*.d.ts (built-ins, Espruino APIs),
 * - any string literal in the bundled sources (it may be used as a computed key: protocol
 *   fields, settings keys, characteristic names),
 * - any member of an interface declared outside shared/ and firmware/src/app (the board layer's
 *   options, e.g. NAPE_PINS, are set by users by name).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

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

/** Every string literal of a file: any of them may be used as a computed property key. */
function stringLiterals(sf: ts.SourceFile, out: Set<string>): void {
  const visit = (n: ts.Node): void => {
    if (ts.isStringLiteralLike(n)) out.add(n.text);
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
  for (const n of p.names) out[n] = next();
  return out;
}

function internalProps(files: readonly string[]): { names: string[]; reserved: Set<string> } {
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
  for (const r of ['at', 'flat', 'flatMap', 'lastIndexOf', 'padEnd', 'replaceAll', 'findLast', 'findLastIndex', 'toSorted', 'toReversed']) reserved.add(r);
  return { names: [...declared].filter((n) => !reserved.has(n)).sort(), reserved };
}
