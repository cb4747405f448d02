/**
 * The embedded MQTT broker (aedes 1.2.0, MQTT 3.1.1) that `nape start` runs in-process on
 * 127.0.0.1 so nothing has to be installed. Any external broker works too (`--mqtt URL`).
 */
import * as net from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { Aedes } from 'aedes';
import type { AedesOptions, AuthenticateError } from 'aedes';

/** Options for `startEmbeddedBroker`. */
export interface EmbeddedBrokerOptions {
  /** TCP port; 0 picks a free one. */
  readonly port: number;
  /** Interface to listen on (default 127.0.0.1: only this machine). */
  readonly host?: string;
  /** When set, clients must log in with exactly this user name and password. */
  readonly authenticate?: { readonly username: string; readonly password: string };
}

/** A running embedded broker. */
export interface EmbeddedBroker {
  /** `mqtt://host:port`, for clients. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** The aedes instance (events, e.g. `publish`, `clientDisconnect`). */
  readonly aedes: Aedes;
  /** Disconnects every client and frees the port. */
  close(): Promise<void>;
}

/** The port could not be opened (in use, not permitted, bad address): one clear line. */
export class BrokerListenError extends Error {
  readonly code: string;
  readonly port: number;
  readonly host: string;
  constructor(message: string, code: string, port: number, host: string) {
    super(message);
    this.name = 'BrokerListenError';
    this.code = code;
    this.port = port;
    this.host = host;
  }
}

function sameSecret(a: string, b: Buffer | string | undefined): boolean {
  if (b === undefined) return false;
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.isBuffer(b) ? b : Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

function hostForUrl(host: string): string {
  return host.indexOf(':') >= 0 ? '[' + host + ']' : host;
}

/** Starts aedes on a TCP port. Rejects with a BrokerListenError when the port cannot be opened. */
export async function startEmbeddedBroker(opts: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const host = opts.host === undefined ? '127.0.0.1' : opts.host;
  const port = opts.port;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new BrokerListenError('MQTT port must be a whole number from 0 to 65535, got ' + String(port), 'EINVAL', port, host);
  }
  const brokerOpts: AedesOptions = {};
  const auth = opts.authenticate;
  if (auth) {
    brokerOpts.authenticate = (_client, username, password, done) => {
      if (username !== undefined && sameSecret(auth.username, username) && sameSecret(auth.password, password)) {
        done(null, true);
        return;
      }
      const err = new Error('bad user name or password') as AuthenticateError;
      (err as { returnCode: number }).returnCode = 4; // AuthErrorCode.BAD_USERNAME_OR_PASSWORD (a const enum)
      done(err, false);
    };
  }
  const aedes = await Aedes.createBroker(brokerOpts);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    aedes.handle(socket);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.removeListener('error', reject);
        resolve();
      });
    });
  } catch (e) {
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    const code = (e as NodeJS.ErrnoException).code || 'ERROR';
    const where = 'MQTT port ' + port + ' on ' + host;
    const msg = code === 'EADDRINUSE' ? where + ' is already in use: pass --mqtt-port or --mqtt URL'
      : code === 'EACCES' ? where + ' needs privileges this process does not have: pass --mqtt-port above 1023 or --mqtt URL'
        : code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' ? 'MQTT host ' + host + ' is not an address of this machine: pass --mqtt-host or --mqtt URL'
          : where + ' could not be opened (' + code + '): pass --mqtt-port or --mqtt URL';
    throw new BrokerListenError(msg, code, port, host);
  }
  server.on('error', () => undefined); // after listening, errors belong to single connections
  const bound = (server.address() as net.AddressInfo).port;
  let closing: Promise<void> | null = null;
  return {
    url: 'mqtt://' + hostForUrl(host) + ':' + bound,
    host: host,
    port: bound,
    aedes: aedes,
    close() {
      if (!closing) {
        closing = (async () => {
          const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
          await new Promise<void>((resolve) => aedes.close(() => resolve()));
          for (const s of sockets) s.destroy();
          await serverClosed;
        })();
      }
      return closing;
    },
  };
}
