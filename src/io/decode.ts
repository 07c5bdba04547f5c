/**
 * Text decoding for vendor files. Order (formats.md, encoding checklist): BOM, then an XML
 * declaration's encoding, then strict UTF-8, then the configured single-byte fallback
 * (Windows-1251 by default: Russian school software exports it).
 */
import iconv from 'iconv-lite';

export type SingleByteFallback = 'windows-1251' | 'windows-1252';

export interface Decoded {
  text: string;
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | SingleByteFallback | string;
  bom: boolean;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeText(buf: Buffer, opts: { fallback?: SingleByteFallback } = {}): Decoded {
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
    return { text: buf.subarray(3).toString('utf8'), encoding: 'utf-8', bom: true };
  }
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) {
    return { text: buf.subarray(2).toString('utf16le'), encoding: 'utf-16le', bom: true };
  }
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) {
    return { text: iconv.decode(buf.subarray(2), 'utf-16be'), encoding: 'utf-16be', bom: true };
  }
  const declared = xmlDeclaredEncoding(buf);
  if (declared && declared !== 'utf-8' && iconv.encodingExists(declared)) {
    return { text: iconv.decode(buf, declared), encoding: declared, bom: false };
  }
  try {
    return { text: utf8.decode(buf), encoding: 'utf-8', bom: false };
  } catch {
    const fallback = opts.fallback ?? 'windows-1251';
    return { text: iconv.decode(buf, fallback), encoding: fallback, bom: false };
  }
}

/** Reads `encoding="..."` from an XML declaration written in an ASCII-compatible encoding. */
function xmlDeclaredEncoding(buf: Buffer): string | undefined {
  const head = buf.subarray(0, 200).toString('latin1');
  if (!head.startsWith('<?xml')) return undefined;
  const m = /encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head);
  return m?.[1]?.toLowerCase();
}
