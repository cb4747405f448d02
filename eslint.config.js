// Lint: typescript-eslint's recommended rules everywhere, and the Espruino subset of
// JavaScript (../shared/design/espruino.md) for code that runs on the clip: shared/ and firmware/src/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { espruinoRestrictedSyntax, espruinoRestrictedGlobals, espruinoRestrictedProperties } from './firmware/build/espruinoRules.js';

/** Globals of firmware/types/espruino.d.ts. */
const espruinoBoardGlobals = ['NRF', 'E', 'Puck', 'Bangle', 'I2C1', 'setWatch', 'clearWatch', 'digitalPulse', 'digitalWrite', 'analogWrite',
  'pinMode', 'peek32', 'setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'changeInterval', 'getTime', 'setTime', 'process',
  'espruinoRequire', 'global', 'BTN', 'BTN1', 'FET', 'LED1', 'LED2', 'LED3', 'D26', 'NAPE_BOARD'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'build/**', 'dist/**', 'coverage/**', 'docs/**', 'bridge/web/vendor/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { console: 'readonly', process: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['shared/**/*.ts', 'firmware/src/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', ...espruinoRestrictedSyntax],
      'no-restricted-globals': ['error', ...espruinoRestrictedGlobals],
      'no-restricted-properties': ['error', ...espruinoRestrictedProperties],
      'no-use-before-define': ['error', { functions: true, classes: true, variables: false }],
    },
  },
  {
    // Only the board layer and the composition root may touch the board.
    files: ['shared/**/*.ts', 'firmware/src/app/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', ...espruinoRestrictedGlobals, ...espruinoBoardGlobals.map((name) => ({
        name, message: name + ' is an Espruino board global: only firmware/src/hal/ and main.ts may use it; take a port instead.',
      }))],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', ...espruinoRestrictedGlobals,
        ...espruinoBoardGlobals.map((name) => ({ name, message: name + ' is an Espruino board global; shared/ is pure.' })),
        { name: 'Date', message: 'shared/ logic takes the time as an argument; it never reads a clock.' },
        { name: 'setTimeout', message: 'shared/ logic is pure: no timers.' },
        { name: 'setInterval', message: 'shared/ logic is pure: no timers.' },
        { name: 'console', message: 'shared/ logic is pure: return errors and effects instead of logging.' }],
    },
  },
);
