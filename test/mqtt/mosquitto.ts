/**
 * Test helpers for real brokers: start and stop a Mosquitto 2 process on a free local port, and
 * a plain MQTT.js subscriber that records what it receives.
 *
 * In CI (`CI` set) a missing `mosquitto` binary must fail the tests that need it (.ci/run installs
 * it); elsewhere those tests may be skipped with the printed reason (`mosquittoSkipReason`).
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { connect } from 'mqtt';
import type { IClientOptions, MqttClient } from 'mqtt';

/** The mosquitto binary, or null when it is not installed. */
export function findMosquitto(): string | null {
  for (const p of ['/usr/sbin/mosquitto', '/usr/local/sbin/mosquitto', '/usr/bin/mosquitto', '/opt/homebrew/sbin/mosquitto']) {
    if (fs.existsSync(p)) return p;
  }
  const r = spawnSync('sh', ['-c', 'command -v mosquitto'], { encoding: 'utf8' });
  const found = r.status === 0 ? r.stdout.trim() : '';
  return found || null;
}

/**
 * Why Mosquitto tests are skipped here, or null when they must run (mosquitto found, or CI:
 * there a missing binary makes `startMosquitto` throw and the test fail). Prints the reason.
 */
export function mosquittoSkipReason(): string | null {
  if (findMosquitto() || process.env.CI) return null;
  const reason = 'mosquitto is not installed (apt-get install mosquitto); skipping the Mosquitto tests (they are required in CI)';
  console.warn(reason);
  return reason;
}

/** A TCP port that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** A running Mosquitto. */
export interface Mosquitto {
  readonly url: string;
  readonly port: number;
  /** Its stderr log so far. */
  log(): string;
  /** SIGTERM and wait for exit (Mosquitto writes its persistence file on the way out). */
  stop(): Promise<void>;
}

/**
 * Starts `mosquitto -c <conf>` with `listener <port> 127.0.0.1` and `allow_anonymous true`.
 * `persistDir` keeps sessions and retained messages across a stop and a start in the same dir.
 */
export async function startMosquitto(opts: { port?: number; persistDir?: string; tls?: TestCerts } = {}): Promise<Mosquitto> {
  const bin = findMosquitto();
  if (!bin) throw new Error('mosquitto is not installed: apt-get install -y --no-install-recommends mosquitto (.ci/run does this in CI)');
  const port = opts.port === undefined ? await freePort() : opts.port;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nape-mosquitto-'));
  const lines = ['listener ' + port + ' 127.0.0.1', 'allow_anonymous true', 'log_dest stderr', 'log_type error', 'log_type warning', 'log_type notice'];
  if (opts.tls) lines.push('certfile ' + opts.tls.certFile, 'keyfile ' + opts.tls.keyFile);
  if (opts.persistDir) {
    fs.mkdirSync(opts.persistDir, { recursive: true });
    fs.chmodSync(opts.persistDir, 0o777); // mosquitto drops root to its own user before writing
    lines.push('persistence true', 'persistence_location ' + opts.persistDir + '/', 'autosave_interval 0');
  } else {
    lines.push('persistence false');
  }
  const conf = path.join(dir, 'mosquitto.conf');
  fs.writeFileSync(conf, lines.join('\n') + '\n');
  const child: ChildProcess = spawn(bin, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => {
    log += d.toString('utf8');
  });
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => {
    exited = true;
    resolve();
  }));
  const deadline = Date.now() + 5000;
  while (!(await canConnect(port))) {
    if (exited || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('mosquitto did not start on port ' + port + ':\n' + log);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    url: 'mqtt://127.0.0.1:' + port,
    port: port,
    log: () => log,
    async stop() {
      if (!exited) child.kill('SIGTERM');
      await exit;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A throw-away CA and a server certificate for 127.0.0.1 (PEM files, and the CA as text). */
export interface TestCerts {
  readonly caPem: string;
  readonly certFile: string;
  readonly keyFile: string;
}

/** Makes TestCerts in `dir` with the openssl command line tool. */
export function makeTestCerts(dir: string): TestCerts {
  fs.mkdirSync(dir, { recursive: true });
  const run = (args: string[]): void => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error('openssl ' + args.join(' ') + ' failed: ' + (r.error ? r.error.message : r.stderr));
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=nape test CA']);
  run(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']);
  fs.writeFileSync(path.join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  run(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'san.ext']);
  fs.chmodSync(dir, 0o755);
  for (const f of ['server.crt', 'server.key']) fs.chmodSync(path.join(dir, f), 0o644); // readable after mosquitto drops root
  return { caPem: fs.readFileSync(path.join(dir, 'ca.crt'), 'utf8'), certFile: path.join(dir, 'server.crt'), keyFile: path.join(dir, 'server.key') };
}

/** One message a Subscriber received. */
export interface Received {
  readonly topic: string;
  readonly payload: string;
  readonly retain: boolean;
  readonly qos: number;
}

/** A plain MQTT.js client that records every message it receives. */
export interface Subscriber {
  readonly client: MqttClient;
  readonly received: Received[];
  /** Waits until `pred` holds for the received list (default 5 s). */
  until(pred: (r: readonly Received[]) => boolean, what: string, timeoutMs?: number): Promise<void>;
  end(): Promise<void>;
}

/** Connects and subscribes (QoS 1) to `filters`; resolves after the SUBACK. */
export async function subscriber(url: string, filters: string[], opts: IClientOptions = {}): Promise<Subscriber> {
  const client = connect(url, Object.assign({ reconnectPeriod: 0, clientId: 'sub-' + Math.random().toString(16).slice(2, 10) }, opts));
  const received: Received[] = [];
  // listen before the CONNACK: a resumed session's queued messages follow it at once
  client.on('message', (topic, payload, packet) => {
    received.push({ topic: topic, payload: payload.toString('utf8'), retain: packet.retain, qos: packet.qos });
  });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
    client.once('close', () => reject(new Error('the subscriber could not connect to ' + url)));
  });
  if (filters.length) await client.subscribeAsync(filters, { qos: 1 });
  return {
    client: client,
    received: received,
    async until(pred, what, timeoutMs) {
      const end = Date.now() + (timeoutMs === undefined ? 5000 : timeoutMs);
      while (!pred(received)) {
        if (Date.now() > end) throw new Error('timed out waiting for ' + what + '; received: ' + JSON.stringify(received));
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async end() {
      await client.endAsync(true);
    },
  };
}

/** Polls `cond` every 10 ms until it holds (default 5 s). */
export async function waitUntil(cond: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting for ' + what);
    await new Promise((r) => setTimeout(r, 10));
  }
}
