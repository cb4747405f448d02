// `@abandonware/noble/with-bindings` ships without types: noble built on a bindings object of
// your own (it never touches HCI). The instance has the API of the package's main export.
declare module '@abandonware/noble/with-bindings' {
  import type { EventEmitter } from 'node:events';
  import type * as Noble from '@abandonware/noble';

  /** noble on `bindings` (an EventEmitter with noble's bindings methods, e.g. SimBindings). */
  function withBindings(bindings: EventEmitter): typeof Noble & EventEmitter;
  export = withBindings;
}
