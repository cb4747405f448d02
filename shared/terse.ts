/**
 * `TERSE` is true in the clip's build and false everywhere else. Messages that only a person
 * reads (decode errors, validation text) are written `TERSE ? '' : '…'`: the clip answers with
 * error codes, so the build drops the text (esbuild folds the constant and the dead branch),
 * which saves Storage and RAM on a board with 40 KB of flash. Errors keep their kind and codes
 * either way; only the sentence is gone.
 */
declare const NAPE_TERSE: boolean;

/** True when built for the clip (`define: { NAPE_TERSE: 'true' }`). */
export const TERSE = typeof NAPE_TERSE !== 'undefined';
