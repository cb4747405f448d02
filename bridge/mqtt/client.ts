/**
 * The bridge's MQTT client (MQTT.js 5): at-least-once records through the persistent outbox,
 * retained live state with a bounded offline buffer, availability with a last will, commands in.
 *
 * Connections: one MqttClient per connection attempt, with MQTT.js's own reconnect switched off
 * (`reconnectPeriod: 0`). When a connection is lost the bridge waits a capped exponential
 * backoff with jitter (`backoff.initialMs` doubling up to `backoff.maxMs`, each wait drawn from
 * [d/2, d]; back to `initialMs` once a connection has stayed up 10 s) and dials a fresh client. MQTT.js's reconnect is a fixed interval, and on a manual
 * `reconnect()` it swaps its in-memory packet store while keeping callbacks of the old one, so a
 * fresh client per connection is the simple way to own the retry policy. The outbox is the
 * session store: the connection is clean (`clean: true`), records are re-sent from the outbox on
 * every connect and subscriptions are re-made on every connect.
 *
 * Records (`publishRecord`): put in the outbox (fsynced) first, published QoS 1 while connected
 * (at most `inflightWindow` unacknowledged at once, in outbox order), removed from the outbox on
 * PUBACK, when the returned promise resolves. Entries left from a previous run or an earlier
 * connection are re-sent in order on connect. Duplicates are possible, loss is not.
 *
 * Live state (`publishState`): QoS 0 retained. While offline the latest value per topic is kept
 * (at most `maxLive` topics, oldest dropped); a value replaced before it was sent, or dropped,
 * counts in `droppedLive`. MQTT.js's unbounded QoS 0 queue is off (`queueQoSZero: false`).
 *
 * Availability: the will `<base>/bridge/state` = `offline` (QoS 1, retained) is set on every
 * connection, and `online` is published retained on every connect; a clean `close()` publishes
 * `offline` itself (a DISCONNECT suppresses the will).
 */
import { connect } from 'mqtt';
import type { IClientOptions, IPublishPacket, MqttClient } from 'mqtt';
import { filterFor, matchTopic, parseCommand, parsePayload, topicFor } from '../../shared/mqtt/api.ts';
import type { Command, Parsed } from '../../shared/mqtt/api.ts';
import { BASE_TOPIC, isValidBase } from '../../shared/mqtt/topics.ts';
import type { Outbox, OutboxMessage } from './outbox.ts';

/** Options for `connectBridgeMqtt`. */
export interface BridgeMqttOptions {
  /** `mqtt://`, `mqtts://`, `ws://` or `wss://` broker URL. */
  readonly url: string;
  /** 1–23 letters, digits, `-` or `_` (what every MQTT 3.1.1 broker must accept). Unique per bridge. */
  readonly clientId: string;
  /** Base topic (default `nape`). */
  readonly base?: string;
  readonly username?: string;
  readonly password?: string;
  /** TLS (mqtts/wss): CA bundle, client certificate and key (PEM), and whether to verify the server (default true). */
  readonly ca?: string | Buffer;
  readonly cert?: string | Buffer;
  readonly key?: string | Buffer;
  readonly rejectUnauthorized?: boolean;
  /** The persistent outbox records go through (opened and closed by the caller). */
  readonly outbox: Outbox;
  /** 4 = MQTT 3.1.1 (default; aedes speaks only this), 5 = MQTT 5. */
  readonly protocolVersion?: 4 | 5;
  /** Keepalive in seconds (default 30). */
  readonly keepaliveS?: number;
  /** Time to wait for CONNACK (default 10000 ms). */
  readonly connectTimeoutMs?: number;
  /** Reconnect backoff: first wait ≤ initialMs (default 500), doubling, capped at maxMs (default 30000). */
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
  /** Live topics buffered while offline (default 200). */
  readonly maxLive?: number;
  /** Records published and not yet acknowledged at once (default 32). */
  readonly inflightWindow?: number;
  /** Diagnostics, one line each (default: none). */
  readonly log?: (line: string) => void;
  /** Random source for the jitter (tests). */
  readonly random?: () => number;
}

/** A message that arrived on one of the command topics. */
export type IncomingCommand =
  /** `<base>/<clip>/config/set`: the raw payload; validate with `parseSettingsPayload(text, current)`. */
  | { readonly kind: 'configSet'; readonly clip: string; readonly topic: string; readonly text: string }
  /** `<base>/<clip>/command`: already parsed; `parsed.ok === false` carries the error for `command/result`. */
  | { readonly kind: 'command'; readonly clip: string; readonly topic: string; readonly text: string; readonly parsed: Parsed<Command> }
  /** `homeassistant/status`: re-publish discovery on `online`. */
  | { readonly kind: 'haStatus'; readonly topic: string; readonly status: 'online' | 'offline' };

export type CommandHandler = (cmd: IncomingCommand) => void | Promise<void>;

/** Counters for the dashboard and logs. */
export interface BridgeMqttStats {
  readonly connected: boolean;
  /** Records in the outbox (waiting for a PUBACK). */
  readonly outboxDepth: number;
  /** Records published on the current connection and not yet acknowledged. */
  readonly inflight: number;
  /** Live topics waiting for a connection. */
  readonly liveQueued: number;
  /** Live values that never reached the broker (replaced while offline or dropped as oldest). */
  readonly droppedLive: number;
  /** Successful connections after the first one. */
  readonly reconnects: number;
  /** Connection attempts, including the first. */
  readonly connectAttempts: number;
  /** Retained messages on command topics, ignored (a stale retained command must not run again on every start). */
  readonly ignoredRetained: number;
  readonly lastError: string | null;
}

/** The bridge's connection to the broker. */
export interface BridgeMqtt {
  readonly base: string;
  readonly url: string;
  readonly connected: boolean;
  /** The current MQTT.js client (null between connections): for diagnostics and tests only. */
  readonly mqttClient: MqttClient | null;
  /**
   * Stores the record in the outbox, then publishes it QoS 1. Resolves after the broker's PUBACK.
   * Rejects at once with OutboxFullError when the outbox is full (nothing stored), and with
   * MqttClosedError if the client is closed first (the record stays in the outbox for the next start).
   */
  publishRecord(topic: string, payload: string | Buffer, opts?: { readonly retain?: boolean }): Promise<void>;
  /** Several records with one fsync; all stored or none. Resolves when every one is acknowledged. */
  publishRecords(items: readonly { readonly topic: string; readonly payload: string | Buffer; readonly retain?: boolean }[]): Promise<void>;
  /** A live value: QoS 0 retained now, or buffered (latest per topic, bounded) until connected. */
  publishState(topic: string, payload: string | Buffer): void;
  /** A publish that is not stored (e.g. discovery, re-published on every connect). Rejects with MqttNotConnectedError when offline. */
  publish(topic: string, payload: string | Buffer, opts: { readonly qos: 0 | 1; readonly retain: boolean }): Promise<void>;
  /** Subscribes (now and after every reconnect) to config/set, command and homeassistant/status. Resolves once the broker granted them. */
  subscribeCommands(handler: CommandHandler): Promise<void>;
  /** Called after every connect, once `online` is sent (e.g. to publish discovery). Returns a remover. */
  onConnect(listener: () => void): () => void;
  /** Resolves when connected; rejects after `timeoutMs` (default 10000). */
  waitConnected(timeoutMs?: number): Promise<void>;
  stats(): BridgeMqttStats;
  /**
   * Stops. `graceful` (default): publish `offline`, let in-flight records finish (≤ 2 s), send
   * DISCONNECT. `graceful: false`: drop the socket as a crash would (the broker publishes the will).
   * Either way unacknowledged records stay in the outbox; the caller closes the outbox afterwards.
   */
  close(opts?: { readonly graceful?: boolean }): Promise<void>;
}

/** The client was closed before the record was acknowledged (it stays in the outbox). */
export class MqttClosedError extends Error {
  constructor() {
    super('the bridge MQTT client was closed before the broker acknowledged this record; it stays in the outbox and is sent on the next start');
    this.name = 'MqttClosedError';
  }
}

/** A direct publish was attempted while offline. */
export class MqttNotConnectedError extends Error {
  constructor(url: string) {
    super('not connected to the MQTT broker at ' + url);
    this.name = 'MqttNotConnectedError';
  }
}

/** A connection that stayed up this long resets the backoff. */
const STABLE_MS = 10000;

const CLIENT_ID = /^[0-9A-Za-z_-]{1,23}$/;

function checkTopic(topic: string): void {
  if (typeof topic !== 'string' || !topic || topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
    throw new Error('cannot publish to MQTT topic ' + JSON.stringify(topic) + ': topics need a name and no wildcards');
  }
}

function publishOnce(c: MqttClient, topic: string, payload: string | Buffer, qos: 0 | 1, retain: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    c.publish(topic, payload, { qos: qos, retain: retain }, (err) => (err ? reject(err) : resolve()));
  });
}

/** Starts connecting (in the background: an unreachable broker at start is retried like a lost one). */
export function connectBridgeMqtt(opts: BridgeMqttOptions): BridgeMqtt {
  const base = opts.base === undefined ? BASE_TOPIC : opts.base;
  if (!isValidBase(base)) throw new Error('invalid MQTT base topic "' + base + '": non-empty levels without + or #');
  if (!/^(mqtts?|wss?):\/\/[^\s]+$/.test(opts.url)) throw new Error('MQTT URL must start with mqtt://, mqtts://, ws:// or wss://, got "' + opts.url + '"');
  if (!CLIENT_ID.test(opts.clientId)) throw new Error('MQTT client id must be 1 to 23 letters, digits, - or _, got "' + opts.clientId + '"');
  const outbox = opts.outbox;
  const log = opts.log || (() => undefined);
  const random = opts.random || Math.random;
  const initialMs = opts.backoff && opts.backoff.initialMs !== undefined ? opts.backoff.initialMs : 500;
  const maxMs = opts.backoff && opts.backoff.maxMs !== undefined ? opts.backoff.maxMs : 30000;
  const maxLive = opts.maxLive === undefined ? 200 : opts.maxLive;
  const window = opts.inflightWindow === undefined ? 32 : opts.inflightWindow;
  const stateTopic = topicFor('bridgeState', undefined, base);
  const filters = [filterFor('configSet', base), filterFor('command', base), filterFor('haStatus', base)];

  const clientOpts: IClientOptions = {
    clientId: opts.clientId,
    protocolVersion: opts.protocolVersion === undefined ? 4 : opts.protocolVersion,
    keepalive: opts.keepaliveS === undefined ? 30 : opts.keepaliveS,
    connectTimeout: opts.connectTimeoutMs === undefined ? 10000 : opts.connectTimeoutMs,
    clean: true,
    reconnectPeriod: 0,
    resubscribe: false,
    queueQoSZero: false,
    will: { topic: stateTopic, payload: Buffer.from('offline'), qos: 1, retain: true },
  };
  if (opts.username !== undefined) clientOpts.username = opts.username;
  if (opts.password !== undefined) clientOpts.password = opts.password;
  if (opts.ca !== undefined) clientOpts.ca = opts.ca;
  if (opts.cert !== undefined) clientOpts.cert = opts.cert;
  if (opts.key !== undefined) clientOpts.key = opts.key;
  if (opts.rejectUnauthorized !== undefined) clientOpts.rejectUnauthorized = opts.rejectUnauthorized;

  let mq: MqttClient | null = null;
  let connected = false;
  let everConnected = false;
  let closed = false;
  let closing: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let attempt = 0;
  let connectedAt = 0;
  let droppedLive = 0;
  let reconnects = 0;
  let connectAttempts = 0;
  let ignoredRetained = 0;
  let lastError: string | null = null;
  /** Outbox ids published on the current connection, not yet acknowledged. */
  const inflight = new Set<number>();
  /** Outbox ids the broker refused on this connection (MQTT 5 reason code): retried on the next one. */
  const held = new Set<number>();
  const waiters = new Map<number, { resolve: () => void; reject: (e: Error) => void }[]>();
  const live = new Map<string, string | Buffer>();
  const handlers: CommandHandler[] = [];
  const connectListeners = new Set<() => void>();
  const connectWaiters = new Set<() => void>();
  let subscribed: { promise: Promise<void>; resolve: () => void } | null = null;

  function settle(id: number, err: Error | null): void {
    const list = waiters.get(id);
    if (!list) return;
    waiters.delete(id);
    for (const w of list) {
      if (err) w.reject(err);
      else w.resolve();
    }
  }

  function waitFor(id: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const list = waiters.get(id);
      if (list) list.push({ resolve: resolve, reject: reject });
      else waiters.set(id, [{ resolve: resolve, reject: reject }]);
    });
  }

  function pump(c: MqttClient): void {
    if (c !== mq || !connected || closed) return;
    let room = window - inflight.size;
    if (room <= 0) return;
    const list = outbox.pending(window + inflight.size + held.size);
    for (let i = 0; i < list.length && room > 0; i++) {
      const e = list[i];
      if (inflight.has(e.id) || held.has(e.id)) continue;
      inflight.add(e.id);
      room--;
      c.publish(e.topic, e.payload, { qos: 1, retain: e.retain }, (err) => {
        if (!err) {
          try {
            outbox.ack(e.id);
          } catch (ackErr) {
            log('mqtt: could not record the acknowledgement of outbox entry ' + e.id + ': ' + (ackErr as Error).message);
          }
          settle(e.id, null);
        }
        if (c !== mq) return; // a callback of a closed connection: that connection's ids were already cleared
        inflight.delete(e.id);
        if (err) {
          if (connected) {
            held.add(e.id);
            lastError = err.message;
            log('mqtt: the broker refused ' + e.topic + ' (' + err.message + '); retried after the next reconnect');
          }
          return;
        }
        pump(c);
      });
    }
  }

  function subscribe(c: MqttClient): void {
    if (!handlers.length) return;
    c.subscribe(filters, { qos: 1 }, (err, granted) => {
      if (c !== mq) return;
      const refused = (granted || []).filter((g) => g.qos >= 128).map((g) => g.topic);
      if (err || refused.length) {
        lastError = err ? err.message : 'subscription refused for ' + refused.join(', ');
        log('mqtt: could not subscribe to the command topics: ' + lastError);
        return;
      }
      if (subscribed) subscribed.resolve();
    });
  }

  function onConnected(c: MqttClient): void {
    if (c !== mq || closed) return;
    connected = true;
    if (everConnected) reconnects++;
    everConnected = true;
    connectedAt = Date.now();
    lastError = null;
    inflight.clear();
    held.clear();
    log('mqtt: connected to ' + opts.url);
    c.publish(stateTopic, 'online', { qos: 1, retain: true }, (err) => {
      if (err && c === mq) log('mqtt: could not publish online: ' + err.message);
    });
    subscribe(c);
    pump(c);
    const topics = Array.from(live.keys());
    for (const t of topics) {
      c.publish(t, live.get(t) as string | Buffer, { qos: 0, retain: true });
      live.delete(t);
    }
    for (const w of Array.from(connectWaiters)) w();
    for (const l of Array.from(connectListeners)) {
      try {
        l();
      } catch (e) {
        log('mqtt: a connect listener failed: ' + (e as Error).message);
      }
    }
  }

  function onClosed(c: MqttClient): void {
    if (c !== mq) return;
    mq = null;
    const was = connected;
    connected = false;
    inflight.clear();
    held.clear();
    if (closed) return;
    c.end(true); // fails MQTT.js's pending callbacks of this connection (ignored above: c !== mq)
    // The backoff restarts only after a connection that lasted: a broker that accepts and then
    // drops at once (e.g. another client with the same id) is not hammered at the shortest wait.
    const lasted = was && Date.now() - connectedAt >= STABLE_MS;
    if (lasted) attempt = 0;
    const d = Math.min(maxMs, initialMs * Math.pow(2, Math.min(attempt, 30)));
    const wait = Math.round(d / 2 + (random() * d) / 2);
    attempt++;
    log('mqtt: ' + (was ? 'connection lost' : 'could not connect') + (lastError ? ' (' + lastError + ')' : '') + '; retrying in ' + wait + ' ms');
    timer = setTimeout(dial, wait);
  }

  function route(topic: string, payload: Buffer, packet: IPublishPacket): void {
    const m = matchTopic(topic, base);
    if (!m || (m.name !== 'configSet' && m.name !== 'command' && m.name !== 'haStatus')) return;
    const text = payload.toString('utf8');
    let msg: IncomingCommand;
    if (m.name === 'haStatus') {
      const p = parsePayload('haStatus', text);
      if (!p.ok) {
        log('mqtt: ignored homeassistant/status: ' + p.error);
        return;
      }
      msg = { kind: 'haStatus', topic: topic, status: p.value as 'online' | 'offline' };
    } else if (packet.retain) {
      ignoredRetained++;
      log('mqtt: ignored a retained message on ' + topic + ' (commands must not be retained; clear it with an empty retained publish)');
      return;
    } else if (m.name === 'configSet') {
      msg = { kind: 'configSet', clip: m.clip as string, topic: topic, text: text };
    } else {
      msg = { kind: 'command', clip: m.clip as string, topic: topic, text: text, parsed: parseCommand(text) };
    }
    for (const h of handlers) {
      try {
        const r: unknown = h(msg);
        if (r instanceof Promise) r.catch((e: Error) => log('mqtt: command handler failed on ' + topic + ': ' + e.message));
      } catch (e) {
        log('mqtt: command handler failed on ' + topic + ': ' + (e as Error).message);
      }
    }
  }

  function dial(): void {
    timer = null;
    if (closed) return;
    connectAttempts++;
    const c = connect(opts.url, clientOpts);
    mq = c;
    c.on('connect', () => onConnected(c));
    c.on('close', () => onClosed(c));
    c.on('error', (e) => {
      if (c !== mq) return;
      lastError = e.message;
    });
    c.on('message', (topic, payload, packet) => {
      if (c === mq) route(topic, payload, packet);
    });
  }

  dial();

  const api: BridgeMqtt = {
    base: base,
    url: opts.url,
    get connected() {
      return connected;
    },
    get mqttClient() {
      return mq;
    },
    async publishRecord(topic, payload, o) {
      if (closed) throw new MqttClosedError();
      checkTopic(topic);
      const id = outbox.put({ topic: topic, payload: payload, qos: 1, retain: !!(o && o.retain) });
      const p = waitFor(id);
      if (mq) pump(mq);
      return p;
    },
    async publishRecords(items) {
      if (closed) throw new MqttClosedError();
      items.forEach((it) => checkTopic(it.topic));
      const msgs: OutboxMessage[] = items.map((it) => ({ topic: it.topic, payload: it.payload, qos: 1, retain: !!it.retain }));
      const ids = outbox.putMany(msgs);
      const all = Promise.all(ids.map(waitFor));
      if (mq) pump(mq);
      await all;
    },
    publishState(topic, payload) {
      if (closed) return;
      checkTopic(topic);
      if (mq && connected) {
        mq.publish(topic, payload, { qos: 0, retain: true });
        return;
      }
      if (live.delete(topic)) droppedLive++;
      live.set(topic, payload);
      while (live.size > maxLive) {
        live.delete(live.keys().next().value as string);
        droppedLive++;
      }
    },
    async publish(topic, payload, o) {
      checkTopic(topic);
      if (!mq || !connected) throw new MqttNotConnectedError(opts.url);
      await publishOnce(mq, topic, payload, o.qos, o.retain);
    },
    subscribeCommands(handler) {
      handlers.push(handler);
      if (!subscribed) {
        let resolve: () => void = () => undefined;
        const promise = new Promise<void>((r) => {
          resolve = r;
        });
        subscribed = { promise: promise, resolve: resolve };
        if (mq && connected) subscribe(mq);
      }
      return subscribed.promise;
    },
    onConnect(listener) {
      connectListeners.add(listener);
      return () => {
        connectListeners.delete(listener);
      };
    },
    waitConnected(timeoutMs) {
      if (connected) return Promise.resolve();
      const ms = timeoutMs === undefined ? 10000 : timeoutMs;
      return new Promise((resolve, reject) => {
        const done = (): void => {
          clearTimeout(t);
          connectWaiters.delete(done);
          resolve();
        };
        const t = setTimeout(() => {
          connectWaiters.delete(done);
          reject(new Error('no connection to the MQTT broker at ' + opts.url + ' after ' + ms + ' ms' + (lastError ? ': ' + lastError : '')));
        }, ms);
        connectWaiters.add(done);
      });
    },
    stats() {
      return {
        connected: connected,
        outboxDepth: outbox.depth(),
        inflight: inflight.size,
        liveQueued: live.size,
        droppedLive: droppedLive,
        reconnects: reconnects,
        connectAttempts: connectAttempts,
        ignoredRetained: ignoredRetained,
        lastError: lastError,
      };
    },
    close(o) {
      if (closing) return closing;
      const graceful = !o || o.graceful !== false;
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      const err = new MqttClosedError();
      for (const id of Array.from(waiters.keys())) settle(id, err);
      closing = (async () => {
        const c = mq;
        if (!c) return;
        if (graceful && connected) {
          const offline = publishOnce(c, stateTopic, 'offline', 1, true).catch(() => undefined);
          const ended = new Promise<void>((resolve) => c.end(false, {}, () => resolve()));
          const t = setTimeout(() => c.stream.destroy(), 2000); // the broker stopped answering: drop the socket
          await offline;
          await Promise.race([ended, new Promise<void>((resolve) => setTimeout(resolve, 2100))]);
          clearTimeout(t);
        } else {
          await new Promise<void>((resolve) => c.end(true, {}, () => resolve()));
        }
        mq = null;
        connected = false;
      })();
      return closing;
    },
  };
  return api;
}
