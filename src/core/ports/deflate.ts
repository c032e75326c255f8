/**
 * The deflate port: a host's native raw DEFLATE (RFC 1951, no zlib or gzip wrapper), used instead
 * of the pure-JS fflate when present. Node's zlib and the browsers' CompressionStream are several
 * times faster than fflate and, in Node, run off the main thread. Optional: without it core uses
 * fflate. Either way blobs are codec 1 (docs/format.md §compression); the bytes may differ, the
 * format does not.
 */
export interface DeflateHost {
  /**
   * Raw DEFLATE of `data` at `level` (1 = fastest). Absent when the host's deflate is not faster
   * than fflate at level 1 (browsers' CompressionStream has no level and runs zlib's default).
   */
  deflateRaw?(data: Uint8Array, level: number): Promise<Uint8Array>;
  /**
   * Inflates a raw DEFLATE stream. Must never produce (or allocate for output) more than
   * `maxLength` bytes: longer output rejects. Rejects on any malformed stream.
   */
  inflateRaw(data: Uint8Array, maxLength: number): Promise<Uint8Array>;
}
