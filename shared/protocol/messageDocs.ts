/**
 * Descriptions of every message and field of the protocol table, for docs/ble-protocol.md.
 * Kept apart from messages.ts so the firmware bundle does not carry them; a test fails when a
 * message or field of the table has no description here.
 */
import type { MessageName } from './messages.ts';

/** `{ message: [description, { field: description }] }`. */
export const MESSAGE_DOCS: { [N in MessageName]: [string, { [field: string]: string }] } = {
  info: ['Device facts, read at the start of every connection.', {
    fwMajor: 'firmware version, major', fwMinor: 'firmware version, minor', fwPatch: 'firmware version, patch',
    board: 'board: index into BOARDS (0 PUCKJS, 1 MDBT42Q, 2 BANGLEJS2, 3 RIG, 4 SIMULATED)',
    clockS: 'clip clock, Unix seconds (seconds since boot while the clock is unset)',
    tzOffsetMin: 'local time offset from UTC in minutes, as last set',
    bootId: 'increments on every boot; with the clock-valid flag it tells the bridge which records it can re-time',
    uptimeS: 'seconds since boot', flags: 'INFO_* bits: clock valid, calibrated, worn, snoozed, bonded, clip moved, low battery',
    oldestSeq: 'seq of the oldest record still stored', nextSeq: 'seq the next record will get (oldestSeq = nextSeq: log empty)',
    batteryPct: 'battery, percent', logFreePct: 'free log space, percent',
  }],
  calibrate: ['Calibrate upright now (the wearer sits up straight); the clip confirms with the calibrated buzz.', {}],
  snooze: ['Silence alerts.', { minutes: 'minutes to snooze; 0 cancels a snooze' }],
  testBuzz: ['Play a buzz pattern.', { pattern: 'index into BUZZ_PATTERNS' }],
  setClock: ['Set the clip clock. Records made before keep their boot id so the bridge can re-time them.', {
    unixS: 'Unix seconds, UTC', tzOffsetMin: 'local time offset from UTC in minutes (quiet hours use local time)',
  }],
  syncFrom: ['Start (or restart after a gap) the log stream at a seq; the clip answers with logAnchor, logRecords…, logEnd.', {
    seq: 'first seq wanted; below oldestSeq means from the oldest stored',
    maxRecords: 'most records per logRecords frame the central can take (recordsPerFrame of its negotiated MTU); the clip also caps it by its own MTU',
  }],
  ack: ['Acknowledge records the bridge has safely delivered; the clip may then reuse their space.', {
    nextSeq: 'every record with a seq below this is acknowledged',
  }],
  live: ['Start or stop the live posture stream (it also stops when the bridge disconnects).', { on: '1 on, 0 off' }],
  result: ['The answer to a control or config write, notified on the control characteristic.', {
    op: 'id of the message answered', code: 'index into RESULT_CODES (0 ok)', detail: 'for badValue: the setting index in the table',
  }],
  config: ['The settings record, one value per setting in table order (see configuration.md); enums by index, booleans 0/1. A write is validated whole on the clip and rejected with a result frame if any value is out of range.', {}],
  logAnchor: ['Places the following records in time: sent at the start of a sync, after a resend and wherever the stored log has a new time base (boot, clock set).', {
    seq: 'seq of the next record', t0S: 'clip time (Unix seconds) of that record', bootId: 'boot the record was made in',
    timeFlags: 'TIME_CLOCK_VALID: t0S is real time; TIME_CORR_KNOWN: add corrS to get real time',
    corrS: 'correction learned when the clock was set during that boot',
  }],
  logRecords: ['As many 16-bit records as the MTU allows (6 at the default MTU, 21 at MTU 53).', {
    firstSeq: 'seq of the first record in the frame; the rest follow consecutively',
    count: 'number of records (must match the frame length)', records: 'record words, see "Log records"',
  }],
  logEnd: ['End of the requested stream.', { nextSeq: 'seq after the last record sent; a bridge with a gap asks again with syncFrom' }],
  liveState: ['Live posture at the configured interval while subscribed and requested.', {
    angleDeci: 'forward angle, 0.1° (+ forward), -32768 unknown', lateralDeci: 'lateral angle, 0.1° (+ right)',
    activity: 'activity number (0 uncalibrated, 1 still, 2 moving, 3 walking, 4 lying, 5 unworn)',
    flags: 'LIVE_* bits: slouching, snoozed, quiet hours, clip moved, silent', slouchS: 'seconds into the current slouch',
    alerts: 'alerts since boot',
  }],
  adv: ['Manufacturer data (company 0x0590) in the clip\'s advertising, so a bridge can watch without connecting.', {
    state: 'activity in bits 0–2, then ADV_* flags: slouching, snoozed, clock valid, low battery, clip moved',
    angleDeg: 'forward angle, whole degrees, -128 unknown', batteryPct: 'battery, percent',
    nextSeq: 'seq the next record will get: a bridge syncs when it differs from what it has',
  }],
};
