/** The BLE protocol: UUIDs, the message table, the codec and the log record formats. */
export * from './uuids.ts';
export * from './messages.ts';
export * from './codec.ts';
export * from './records.ts';
