import { describe, expect, it } from 'vitest';
import { releaseBootCode } from '../../firmware/build/releaseBootCode.ts';

/** Runs a bundle with a timer queue; returns what the timers produced after boot. */
function run(code: string): unknown[] {
  const timers: (() => void)[] = [];
  const out: unknown[] = [];
  new Function('setTimeout', 'out', code)((fn: () => void) => timers.push(fn), out);
  while (timers.length) (timers.shift() as () => void)();
  return out;
}

const BUNDLE = `(() => {
  function boot(n) { return make(n) + 1; }
  function make(n) { return n * 2; }
  var build = (n) => ({ n: n, step: () => stepper(n) });
  function stepper(n) { return helper(n) + 1; }
  function helper(n) { return n * 10; }
  function cb() { out.push(later(3)); }
  function later(x) { return x + 100; }
  function onlyShadowed(make) { return make; }
  function outer() { function inner() { out.push(deep()); } setTimeout(inner); }
  function deep() { return 'deep'; }
  var reassigned = () => 1;
  reassigned = () => 2;
  var obj = build(boot(4));
  setTimeout(cb);
  setTimeout(() => out.push(obj.step(), onlyShadowed(7), reassigned()));
  outer();
})();`;

describe('releaseBootCode (build pass freeing boot-only functions)', () => {
  it('releases what only boot reaches and keeps callbacks and everything they call', () => {
    const r = releaseBootCode(BUNDLE);
    // onlyShadowed runs after boot, but its `make` is its own parameter: make goes.
    expect(r.released.sort()).toEqual(['boot', 'build', 'make', 'outer']);
    expect(r.code).toMatch(/boot=.*=void 0;\}\)\(\);$/s);
  });

  it('leaves behaviour after boot unchanged', () => {
    const before = run(BUNDLE);
    expect(before).toEqual([103, 91, 7, 2, 'deep']);
    expect(run(releaseBootCode(BUNDLE).code)).toEqual(before);
  });
});
