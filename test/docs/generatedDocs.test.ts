import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedDocs } from '../../bridge/docs/generateDocs.ts';
import { MESSAGES, fieldsOf } from '../../shared/protocol/index.ts';
import type { MessageDecl, MessageName } from '../../shared/protocol/index.ts';
import { MESSAGE_DOCS } from '../../shared/protocol/messageDocs.ts';

describe('generated reference docs', () => {
  for (const [file, content] of Object.entries(generatedDocs())) {
    it(`docs/${file} matches the tables (run npm run docs when this fails)`, () => {
      expect(readFileSync(new URL(`../../docs/${file}`, import.meta.url), 'utf8')).toBe(content);
    });
  }

  it('describe every message and every field of the protocol table', () => {
    for (const n of Object.keys(MESSAGES) as MessageName[]) {
      const doc = MESSAGE_DOCS[n];
      expect(doc[0].length, n).toBeGreaterThan(10);
      if (n === 'config') continue; // its fields are the settings, documented in the settings table
      for (const f of fieldsOf(MESSAGES[n] as MessageDecl)) expect(doc[1][f[0]], `${n}.${f[0]}`).toBeTruthy();
      expect(Object.keys(doc[1]).sort()).toEqual(fieldsOf(MESSAGES[n] as MessageDecl).map((f) => f[0]).sort());
    }
  });
});
