/**
 * Helpers for the upkeep spec: a tiny valid PNG of one colour, and damaging every stored pack of
 * a drive repository in OPFS (one byte flipped in the middle of data/xx/<id>).
 */
import { deflateSync } from 'node:zlib';
import type { Page } from '@playwright/test';

function crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), Buffer.from(data)]);
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), 8 + data.length);
  return out;
}

/** A `size`×`size` PNG filled with one RGB colour. */
export function solidPng(size: number, rgb: readonly [number, number, number]): Uint8Array {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const raw = Buffer.alloc(size * (1 + size * 3));
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) raw.set(rgb, y * (1 + size * 3) + 1 + x * 3);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array())]);
}

/** Flips one byte in the middle of every pack (data/xx/<id>) of the repository in OPFS `folder`; returns how many. */
export async function damageEveryPack(page: Page, folder: string): Promise<number> {
  return page.evaluate(async (folder) => {
    let dir = await navigator.storage.getDirectory();
    for (const part of folder.split('/')) dir = await dir.getDirectoryHandle(part);
    const data = await dir.getDirectoryHandle('data');
    let count = 0;
    for await (const [, sub] of (data as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) {
      if (sub.kind !== 'directory') continue;
      for await (const [, h] of (sub as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) {
        if (h.kind !== 'file') continue;
        const file = await (h as FileSystemFileHandle).getFile();
        const bytes = new Uint8Array(await file.arrayBuffer());
        const mid = bytes.length >> 1;
        bytes[mid] = (bytes[mid] ?? 0) ^ 0xff;
        const w = await (h as FileSystemFileHandle).createWritable();
        await w.write(bytes);
        await w.close();
        count++;
      }
    }
    return count;
  }, folder);
}
