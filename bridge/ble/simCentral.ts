/**
 * A BleCentral on the simulated radio: the real noble on bindings that host virtual clips (the
 * built firmware on the Espruino emulator, worn by the motion generator), simulated time
 * following the wall clock. What `--simulate N` gives the commands on a machine without a clip.
 */
import { createRequire } from 'node:module';
import { createSimRadio } from './sim/simRadio.ts';
import type { SimRadio } from './sim/simRadio.ts';
import { createNobleCentral } from './nobleCentral.ts';
import type { NobleLike } from './nobleCentral.ts';
import type { BleCentral } from './central.ts';

/** Starts `clips` virtual clips (office-day wearers, seeds 1…N) and a central on them. */
export async function createSimCentral(clips: number): Promise<{ central: BleCentral; radio: SimRadio }> {
  const radio = await createSimRadio({ clips: Array.from({ length: clips }, (_, i) => ({ scenario: 'office-day', seed: i + 1 })) });
  const withBindings = createRequire(import.meta.url)('@abandonware/noble/with-bindings') as (b: unknown) => NobleLike;
  const central = createNobleCentral(withBindings(radio.bindings), 'simulated');
  radio.startRealTime();
  const close = central.close;
  return { radio, central: { ...central, close: async () => {
    await close();
    radio.stop();
  } } };
}
