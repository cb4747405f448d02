/**
 * The `nape` command line: a table of contents of what nape can do. Each command lives in its
 * own module; this file only wires arguments to them and turns failures into exit codes.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { writeDocs } from '../docs/generateDocs.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** nape's version, from package.json. */
export function napeVersion(): string {
  return (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Builds the program; `out`/`err` collect what it prints, so tests can run it in-process. */
export function buildProgram(out: (s: string) => void, err: (s: string) => void): Command {
  const program = new Command('nape')
    .description('Posture clip bridge: BLE sync, MQTT, tracking store and headache report')
    .version(napeVersion())
    .configureOutput({ writeOut: out, writeErr: err })
    .exitOverride()
    .showHelpAfterError();

  program.command('docs')
    .description('generate docs/ble-protocol.md, docs/mqtt-api.md and docs/configuration.md from the tables')
    .option('--check', 'only check that the committed docs are up to date')
    .action((opts: { check?: boolean }) => {
      const stale = writeDocs(join(ROOT, 'docs'), Boolean(opts.check));
      if (opts.check && stale.length) {
        err(`docs out of date: ${stale.join(', ')} (run npm run docs)\n`);
        process.exitCode = 1;
      } else {
        out(stale.length ? `wrote ${stale.join(', ')}\n` : 'docs up to date\n');
      }
    });

  return program;
}

/** Runs `nape` with the given arguments; resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram((s) => process.stdout.write(s), (s) => process.stderr.write(s));
  if (argv.length === 0) {
    program.outputHelp();
    return 0;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    process.stderr.write(`nape: ${(e as Error).message}\n`);
    return 1;
  }
}
