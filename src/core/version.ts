/** Engine version (semver of the app) and the repository format version it writes. */
export const ENGINE_VERSION = '0.1.0';
/** Repository format written by this engine; see docs/format.md. */
export const FORMAT_VERSION = 1;
