/**
 * What the wearer is doing, as the posture engine sees it. The number is the wire value
 * (BLE live frames, minute records); the label is used in MQTT, CSV and the store.
 */
export const ACTIVITIES = ['uncalibrated', 'still', 'moving', 'walking', 'lying', 'unworn'] as const;
/** An activity label. */
export type ActivityName = (typeof ACTIVITIES)[number];

/** No upright reference yet: angles are unknown. */
export const ACT_UNCALIBRATED = 0;
/** Sitting or standing without much trunk movement. */
export const ACT_STILL = 1;
/** Moving the trunk (fidgeting, reaching, transitions) but not walking. */
export const ACT_MOVING = 2;
/** Walking: periodic steps. */
export const ACT_WALKING = 3;
/** Lying down (or bent over so far that it is not a slouch). */
export const ACT_LYING = 4;
/** Clip not worn: no body movement at all for minutes. */
export const ACT_UNWORN = 5;
