/**
 * The `nape` command line: a table of contents of what nape can do. Each command lives in its
 * own module; this file only wires arguments to them and turns failures into exit codes.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { writeDocs } from '../docs/generateDocs.ts';
import { replayCommand } from '../replay/replayCommand.ts';
import type { ReplayCommandOptions } from '../replay/replayCommand.ts';
import { scenarioList, simulateCommand } from '../sim/motion/simulateCommand.ts';
import type { SimulateCommandOptions } from '../sim/motion/simulateCommand.ts';
import { BadInputError } from './badInput.ts';
import { BleUnavailableError } from '../ble/central.ts';
import { createNobleCentral, loadRealNoble } from '../ble/nobleCentral.ts';
import { createSimCentral } from '../ble/simCentral.ts';
import { formatClips, scanClips, scanSeconds, simulatedClips } from './scanCommand.ts';
import type { ScanCommandOptions } from './scanCommand.ts';

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

  program.command('replay')
    .description('run an accelerometer trace (CSV) through the clip\'s posture engine and write what the clip decided per sample')
    .argument('<in.csv>', 'trace: t_ms, ax_g, ay_g, az_g [, gx_dps, gy_dps, gz_dps] [, event] (see docs/replay.md)')
    .requiredOption('--out <out.csv>', 'output: t_ms,angle_deg,lateral_deg,activity,slouching,alert')
    .option('--threshold <deg>', 'slouch threshold (°), default the clip\'s')
    .option('--delay <s>', 'alert delay (s), default the clip\'s')
    .option('--config <file>', 'JSON settings file with snake_case keys, as in docs/configuration.md')
    .option('--every-sample', 'step the engine on every sample instead of sampling as the clip does (1.6 Hz while calm)')
    .action((input: string, opts: ReplayCommandOptions) => out(replayCommand(input, opts)));

  program.command('simulate')
    .description('write a simulated wearer\'s accelerometer trace (replay input format) with its ground truth beside it')
    .argument('<scenario>', 'a scenario of the library (listed below)')
    .requiredOption('--out <trace.csv>', 'trace path; truth goes to <trace>.truth.csv and <trace>.truth.json')
    .option('--seed <n>', 'random seed (default: the scenario\'s own)')
    .option('--part <part>', 'accelerometer: puck, bangle or mpu6050 (default puck)')
    .addHelpText('after', `\nScenarios:\n${scenarioList()}\n`)
    .action((name: string, opts: SimulateCommandOptions) => out(simulateCommand(name, opts)));

  program.command('scan')
    .description('list the clips advertising nearby: id, name, signal, battery, activity')
    .option('--seconds <s>', 'how long to listen (default 5)')
    .option('--json', 'print a JSON array instead of a table')
    .option('--simulate <n>', 'scan n virtual clips (the real firmware in the emulator) instead of the Bluetooth adapter')
    .action(async (opts: ScanCommandOptions) => {
      const seconds = scanSeconds(opts.seconds);
      const sim = simulatedClips(opts.simulate);
      const central = sim ? (await createSimCentral(sim)).central : createNobleCentral(loadRealNoble(), 'noble');
      try {
        const clips = await scanClips(central, seconds);
        out(opts.json ? JSON.stringify(clips, null, 2) + '\n' : formatClips(clips, central.kind));
      } finally {
        await central.close();
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
    if (e instanceof BadInputError) {
      process.stderr.write(`nape: ${e.message}\n`);
      return 2;
    }
    if (e instanceof BleUnavailableError) {
      process.stderr.write(`nape: ${e.message}\n`);
      return 3;
    }
    process.stderr.write(`nape: ${(e as Error).message}\n`);
    return 1;
  }
}
