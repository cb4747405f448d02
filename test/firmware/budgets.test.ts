// The firmware's budgets on each board, measured by running the built bundle through a
// simulated day in the emulator (firmware/build/firmwareReport.ts). Prints the report table.
import { describe, expect, it } from 'vitest';
import { FIRMWARE_BUDGET_BYTES, buildFirmware } from '../../firmware/build/buildFirmware.ts';
import { formatReport, measureBoard } from '../../firmware/build/firmwareReport.ts';
import type { BoardReport } from '../../firmware/build/firmwareReport.ts';

describe('firmware budgets', () => {
  it('runs a day on every board and reports memory, log capacity and energy', async () => {
    const b = await buildFirmware();
    const reports: BoardReport[] = (['PUCKJS', 'MDBT42Q', 'BANGLEJS2'] as const).map((n) => measureBoard(b.minified, n));
    console.log(formatReport(b.plainBytes, b.minBytes, FIRMWARE_BUDGET_BYTES, reports));
    for (const r of reports) {
      expect(r.errors, r.board).toBe(0);
      expect(r.logBytesPerWornHour, r.board).toBeGreaterThan(0);
    }
  }, 300_000);
});
