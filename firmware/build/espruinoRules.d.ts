// Types for espruinoRules.js (plain JavaScript so eslint.config.js can load it without a TypeScript loader).

/** One syntax rule: an id for bundle-check reports, an esquery selector and the reason. */
export interface EspruinoSyntaxRule {
  readonly id: string;
  readonly selector: string;
  readonly message: string;
}

/** Syntax Espruino lacks, with ids; the source of {@link espruinoRestrictedSyntax}. */
export declare const espruinoSyntaxRules: readonly EspruinoSyntaxRule[];

/** ESLint `no-restricted-syntax` entries. */
export declare const espruinoRestrictedSyntax: readonly { readonly selector: string; readonly message: string }[];

/** ESLint `no-restricted-globals` entries. */
export declare const espruinoRestrictedGlobals: readonly { readonly name: string; readonly message: string }[];

/** ESLint `no-restricted-properties` entries; without `object` the property is banned on any object. */
export declare const espruinoRestrictedProperties: readonly (
  | { readonly object: string; readonly property: string; readonly message: string }
  | { readonly property: string; readonly message: string }
)[];
