/**
 * Access card numbers (formats.md §6): controllers and their exports write the same card as a
 * decimal number ("10587713"), as Wiegand-26 "series.number" ("161.36417": series = id >> 16,
 * number = id & 0xFFFF) or as hex ("A18E41", "0x00A18E41"). The hub keeps one form: the decimal
 * number without leading zeros, so every spelling of a card finds the same register entry.
 * BigInt, because 7-byte Mifare UIDs exceed 2^53.
 */
import { RecordRejected } from '../../core/errors.ts';

export type CardFormat = 'auto' | 'hex';

/** 20 hex digits (80 bits) is more than any card technology a school turnstile reads. */
const MAX_HEX_DIGITS = 20;

export function normalizeCard(raw: string, format: CardFormat = 'auto', field = 'card'): string {
  const v = raw.trim().replace(/[\s\u00A0]/g, '');
  if (v === '') throw new RecordRejected('card_format', 'the card number is empty', field);
  const series = /^(\d{1,3})[.,/](\d{1,5})$/.exec(v);
  if (format === 'auto' && series) {
    const s = Number(series[1]);
    const n = Number(series[2]);
    // Wiegand 26 carries an 8-bit facility code and a 16-bit number.
    if (s > 255 || n > 65535) throw new RecordRejected('card_format', `"${raw}" is not a Wiegand-26 series.number (series 0..255, number 0..65535)`, field);
    return String(s * 65536 + n);
  }
  const hex = /^(?:0x)?([0-9a-f]+)$/i.exec(v);
  if (format === 'hex' || (hex && /[a-f]/i.test(v)) || /^0x/i.test(v)) {
    if (!hex || hex[1]!.length > MAX_HEX_DIGITS) throw new RecordRejected('card_format', `"${raw}" is not a hexadecimal card number`, field);
    return BigInt(`0x${hex[1]}`).toString(10);
  }
  if (/^\d+$/.test(v)) {
    if (v.length > 25) throw new RecordRejected('card_format', `"${raw}" is too long for a card number`, field);
    return BigInt(v).toString(10);
  }
  throw new RecordRejected('card_format', `"${raw}" is not a card number (decimal, series.number or hex)`, field);
}
