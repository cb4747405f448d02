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
  var BOOT_TABLE = [4, 5];
  var LIVE_TABLE = { k: 'live' };
  var reassigned = () => 1;
  reassigned = () => 2;
  var obj = build(boot(BOOT_TABLE[0]));
  setTimeout(cb);
  setTimeout(() => out.push(obj.step(), onlyShadowed(7), reassigned(), LIVE_TABLE.k));
  outer();
})();`;

describe('releaseBootCode (build pass freeing boot-only functions)', () => {
  it('releases what only boot reaches (functions and tables) and keeps callbacks and everything they use', () => {
    const r = releaseBootCode(BUNDLE);
    // onlyShadowed runs after boot, but its `make` is its own parameter: make goes.
    expect(r.released.sort()).toEqual(['BOOT_TABLE', 'boot', 'build', 'make', 'outer']);
    expect(r.code).toMatch(/=BOOT_TABLE=void 0;\}\)\(\);$/s);
  });

  it('leaves behaviour after boot unchanged', () => {
    const before = run(BUNDLE);
    expect(before).toEqual([103, 91, 7, 2, 'live', 'deep']);
    expect(run(releaseBootCode(BUNDLE).code)).toEqual(before);
  });

  it('separates the release from a last statement a minifier left without its semicolon', () => {
    const min = '(()=>{function b(){return 4}var o=[];setTimeout(()=>out.push(o[0])),o.push(b())})();';
    const r = releaseBootCode(min);
    expect(r.released).toEqual(['b']);
    expect(r.code).toContain('o.push(b());b=void 0;})');
    expect(run(r.code)).toEqual([4]);
  });
});
