/**
 * The scenario library: named days and situations a posture clip must get right, each a seeded
 * script for the generator. `nape simulate <name>` and the quality benchmark use these names.
 */
import type { Scenario } from './generateTrace.ts';
import type { PlanBuilder } from './planBuilder.ts';

const MIN = 60;

/** A stretch at the desk: typing with slouches, now and then the phone. */
function deskWork(b: PlanBuilder, minutes: number): void {
  const end = b.tMs + minutes * MIN * 1000;
  while (end - b.tMs > 2 * MIN * 1000) {
    const left = (end - b.tMs) / 1000;
    b.typing(Math.min(left, b.rng.uniform(8, 25) * MIN));
    if (b.rng.next() < 0.4 && end - b.tMs > 3 * MIN * 1000) b.phone(b.rng.uniform(1, 3) * MIN);
  }
  b.sit(Math.max(1, (end - b.tMs) / 1000));
}

/** Arrive, sit, calibrate. */
function arriveAtDesk(b: PlanBuilder): void {
  b.stand(5).sitDown().sit(20).calibrate();
}

/** An 8 h office day: desk work in blocks, short breaks, lunch out. */
function officeDay(b: PlanBuilder): void {
  arriveAtDesk(b);
  const lunchAt = 4 * 3600 * 1000;
  const end = 8 * 3600 * 1000;
  let lunched = false;
  while (end - b.tMs > 10 * MIN * 1000) {
    deskWork(b, Math.min((end - b.tMs) / 60000 - 8, b.rng.uniform(30, 80)));
    if (!lunched && b.tMs > lunchAt) {
      b.standUp().stand(30).walk(8 * MIN).stand(60).sitDown().sit(20 * MIN).standUp().walk(8 * MIN).stand(20).sitDown();
      lunched = true;
    } else b.deskBreak(b.rng.uniform(1, 5));
  }
  b.sit(Math.max(1, (end - b.tMs) / 1000));
}

/** An hour of phone-heavy sitting: long phone sessions with glances, some typing between. */
function phoneHeavy(b: PlanBuilder): void {
  arriveAtDesk(b);
  const end = 3600 * 1000;
  while (end - b.tMs > 5 * MIN * 1000) {
    b.phone(b.rng.uniform(3, 12) * MIN);
    if (b.rng.next() < 0.5) b.typing(b.rng.uniform(2, 6) * MIN);
    else b.sit(b.rng.uniform(1, 4) * MIN);
  }
  b.sit(Math.max(1, (end - b.tMs) / 1000));
}

/** A walking commute: calibrated standing at home, walks, waits at crossings and a platform, phone on the train. */
function walkingCommute(b: PlanBuilder): void {
  b.stand(10).calibrate('standing');
  b.walk(b.rng.uniform(6, 10) * MIN).stand(b.rng.uniform(20, 60)).walk(b.rng.uniform(3, 6) * MIN);
  b.stand(b.rng.uniform(2, 5) * MIN).sitDown().phone(b.rng.uniform(8, 12) * MIN).standUp();
  b.walk(b.rng.uniform(5, 8) * MIN).stand(b.rng.uniform(20, 60)).walk(b.rng.uniform(4, 8) * MIN).stand(30);
}

/** An evening on the sofa: leaning back, phone, a nap lying down, getting up. */
function sofaEvening(b: PlanBuilder): void {
  b.stand(5).sitDown().sit(20).calibrate();
  b.leanBack(b.rng.uniform(20, 40) * MIN).phone(b.rng.uniform(5, 10) * MIN).leanBack(b.rng.uniform(15, 30) * MIN);
  b.lie(b.rng.uniform(20, 40) * MIN).getUp().sit(b.rng.uniform(1, 3) * MIN).leanBack(b.rng.uniform(10, 20) * MIN);
  b.standUp().walk(2 * MIN).stand(60).sitDown().lie(b.rng.uniform(10, 20) * MIN).getUp().sit(60);
}

/** An hour at the desk with a break. */
function deskHour(b: PlanBuilder): void {
  arriveAtDesk(b);
  deskWork(b, 25);
  b.deskBreak(3);
  deskWork(b, 25);
}

/** Three hours at the desk; the clip slips by 2–10° every 30–60 min, unnoticed. */
function clipSlips(b: PlanBuilder): void {
  arriveAtDesk(b);
  const end = 3 * 3600 * 1000;
  while (end - b.tMs > 20 * MIN * 1000) {
    deskWork(b, b.rng.uniform(30, 60));
    b.slip().deskBreak(b.rng.uniform(1, 3));
  }
  deskWork(b, Math.max(3, (end - b.tMs) / 60000));
}

/** Ninety minutes at the desk; in a break the clip comes off and goes back on differently, then recalibrated. */
function remountRecalibrate(b: PlanBuilder): void {
  arriveAtDesk(b);
  deskWork(b, 40);
  b.standUp().stand(20).remount().stand(10).sitDown().sit(10).calibrate();
  deskWork(b, 40);
}

/** The library, by name. */
export const SCENARIOS: readonly Scenario[] = [
  { name: 'office-day', summary: '8 h office day: typing with slouches, phone, desk breaks, lunch walk', seed: 1, build: officeDay },
  { name: 'phone-heavy', summary: '1 h of long phone sessions with 1–5 s glances, some typing', seed: 2, build: phoneHeavy },
  { name: 'walking-commute', summary: '~40 min commute: walks with turns, waits standing, phone sitting on the train', seed: 3, build: walkingCommute },
  { name: 'sofa-evening', summary: '~2 h on the sofa: leaning back, phone, naps lying on the back or side', seed: 4, build: sofaEvening },
  {
    name: 'clip-rotated-40', summary: '1 h at the desk with the clip turned 40° in the plane of the back', seed: 5, build: deskHour,
    mount: (rng) => ({ psiDeg: 40 * (rng.next() < 0.5 ? -1 : 1), tiltDeg: rng.symmetric(15), yawDeg: rng.symmetric(10) }),
  },
  { name: 'clip-slips', summary: '3 h at the desk; the clip slips 2–10° every 30–60 min without recalibration', seed: 6, build: clipSlips },
  { name: 'remount-recalibrate', summary: '~90 min at the desk; the clip is re-mounted in a break and recalibrated', seed: 7, build: remountRecalibrate },
];

/** A scenario by name, or undefined. */
export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
