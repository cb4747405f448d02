/**
 * The posture engine's public surface: the reducer (engine.ts), the minute summariser
 * (minute.ts) and the activity numbers (activity.ts).
 */
export { ACTIVITIES, ACT_UNCALIBRATED, ACT_STILL, ACT_MOVING, ACT_WALKING, ACT_LYING, ACT_UNWORN } from './activity.ts';
export type { ActivityName } from './activity.ts';
export { NO_EFFECTS, createPosture, stepPosture, calibrate, snooze, configure, setClock, restoreCalibration } from './engine.ts';
export type { PostureEffect, PostureState } from './engine.ts';
export { createMinute, stepMinute } from './minute.ts';
export type { MinuteSummary, MinuteState } from './minute.ts';
export { WORN_HZ, nextRate } from './rate.ts';
