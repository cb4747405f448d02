/**
 * `npm run build:firmware`: writes dist/firmware/nape.js and nape.min.js, prints the size,
 * memory, log-capacity and energy report, and exits non-zero when the bundle is over budget.
 */
import { FIRMWARE_BUDGET_BYTES, buildFirmware } from './buildFirmware.ts';
import { writeFirmwareFiles } from './buildFirmware.ts';
import { formatReport, measureBoard } from './firmwareReport.ts';

const b = await buildFirmware();
const dir = writeFirmwareFiles(b);
console.log(`wrote ${dir}/nape.js and nape.min.js`);
const boards = (['PUCKJS', 'MDBT42Q', 'BANGLEJS2'] as const).map((name) => measureBoard(b.minified, name));
console.log(formatReport(b.plainBytes, b.minBytes, FIRMWARE_BUDGET_BYTES, boards));
if (b.minBytes > FIRMWARE_BUDGET_BYTES) {
  console.error(`firmware is ${b.minBytes} bytes minified, over its ${FIRMWARE_BUDGET_BYTES}-byte Storage budget`);
  process.exitCode = 1;
}
