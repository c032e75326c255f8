// TextEncoder/TextDecoder are part of every JavaScript host Cairn runs on (browsers, workers,
// Node). Core's lib is ES2022, which does not declare them; this is the only host global core
// uses without being handed it. See docs/architecture.md.
declare global {
  class TextEncoder {
    encode(input?: string): Uint8Array<ArrayBuffer>;
  }
  class TextDecoder {
    constructor(label?: string, options?: { fatal?: boolean });
    decode(input?: Uint8Array): string;
  }
}
export {};
