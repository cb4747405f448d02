import { describe, expect, it } from 'vitest';
import { inlineConstants } from '../../firmware/build/inlineConstants.ts';

const run = (code: string): unknown => new Function('return ' + code)();

describe('inlineConstants (build pass folding top-level numeric constants)', () => {
  it('folds constants into every use, shorthand properties included, and drops their declarations', () => {
    const src = '(()=>{var a=1,b=[a],c=2,d=-3;var e=!0;return{a,s:b[0]+c+d,e,m:c*d}})()';
    const r = inlineConstants(src);
    expect(r.inlined.sort()).toEqual(['a', 'c', 'd', 'e']);
    expect(r.code).not.toMatch(/var a=|c=2|d=-3|var e/);
    expect(run(r.code)).toEqual(run(src));
  });

  it('keeps a name that is assigned, updated or bound again anywhere', () => {
    const src = '(()=>{var a=1,b=2,c=3,k=4;function f(c){return c+a}b+=1;k++;return[f(5),a,b,c,k]})()';
    const r = inlineConstants(src);
    expect(r.inlined).toEqual(['a']);
    expect(run(r.code)).toEqual(run(src));
  });

  it('cuts trailing and middle declarators without breaking the statement', () => {
    for (const src of ['(()=>{var x=[],a=1,b=2;return x.length+a+b})()', '(()=>{var a=1,x=[],b=2,y={};return[a,x,b,y]})()']) {
      const r = inlineConstants(src);
      expect(r.inlined.sort()).toEqual(['a', 'b']);
      expect(run(r.code)).toEqual(run(src));
    }
  });

  it('leaves member names and property keys that share a constant\'s name alone', () => {
    const src = '(()=>{var a=7;var o={a:1};o.a=a;return[o.a,o["a"]]})()';
    expect(run(inlineConstants(src).code)).toEqual([7, 7]);
  });
});
