import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeText } from '../../../src/io/decode.ts';
import { roster } from './helpers.ts';

const firstLine = (text: string) => text.split(/\r?\n/)[0];

describe('roster files decode to the same Russian text whatever Excel saved them as', () => {
  const cp1251 = decodeText(readFileSync(roster('school1/students.cp1251.csv')));
  const utf8 = decodeText(readFileSync(roster('school1/students.utf8bom.csv')));
  const utf16 = decodeText(readFileSync(roster('school1/students.utf16.txt')));

  it('recognises each encoding', () => {
    expect(cp1251).toMatchObject({ encoding: 'windows-1251', bom: false });
    expect(utf8).toMatchObject({ encoding: 'utf-8', bom: true });
    expect(utf16).toMatchObject({ encoding: 'utf-16le', bom: true });
  });

  it('keeps ё, № and quotes, and leaves no BOM in the text', () => {
    expect(cp1251.text).toBe(utf8.text);
    expect(firstLine(utf16.text)).toBe(firstLine(utf8.text)?.replace(/;/g, '\t'));
    expect(utf16.text).toContain('Фёдоров\tПётр');
    expect(firstLine(utf8.text)?.startsWith('Код;Фамилия')).toBe(true);
    expect(utf8.text).toContain('Фёдоров;Пётр');
    expect(utf8.text).toContain('Группа №1');
  });

  it('uses the configured single-byte fallback for a file that is not UTF-8', () => {
    // "Müller;Straße" as a German Windows program writes it (cp1252).
    const bytes = Buffer.from([0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72, 0x3b, 0x53, 0x74, 0x72, 0x61, 0xdf, 0x65]);
    expect(decodeText(bytes, { fallback: 'windows-1252' }).text).toBe('Müller;Straße');
    expect(decodeText(bytes).encoding).toBe('windows-1251');
  });
});
