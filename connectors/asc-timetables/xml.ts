/**
 * Safe loading of an aSc Timetables XML export into its tables (formats.md §1): `<periods>`,
 * `<cards>`, ... each a list of rows whose attributes are the `columns` the table declares.
 * The file comes from outside: no DTD or entity is ever processed (billion laughs), and rows
 * keep their line number so a rejected card can be found in the file.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { PermanentError } from '../../src/core/errors.ts';

export interface AscRow {
  attrs: Record<string, string>;
  /** "line 57 (card 12)". */
  position: string;
}

/** Table element -> row element, as aSc exports them; `days` is the pre-2012 shape. */
const TABLES: Record<string, string> = {
  periods: 'period',
  daysdefs: 'daysdef',
  weeksdefs: 'weeksdef',
  termsdefs: 'termsdef',
  days: 'day',
  subjects: 'subject',
  teachers: 'teacher',
  classrooms: 'classroom',
  classes: 'class',
  groups: 'group',
  lessons: 'lesson',
  cards: 'card',
};

export type AscTables = Map<string, AscRow[]>;

export function loadAscXml(text: string): AscTables {
  if (text.trim() === '') throw new PermanentError('empty_file', 'the timetable file is empty');
  // fast-xml-parser can expand entities; with processEntities:false it does not, and a file
  // that declares any is refused outright rather than parsed half-way.
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    throw new PermanentError(
      'xml_entities_forbidden',
      'the file declares a DOCTYPE or ENTITY; aSc exports never do, and such files are refused',
    );
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { line, col, msg } = valid.err;
    throw new PermanentError('malformed_xml', `not well-formed XML at line ${line}, column ${col}: ${msg}`);
  }
  const doc: unknown = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    processEntities: false,
    parseTagValue: false,
    parseAttributeValue: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
  }).parse(text);
  const root = isObject(doc) ? doc['timetable'] : undefined;
  if (!isObject(root)) {
    throw new PermanentError('not_asc_timetable', 'the root element is not <timetable>: not an aSc XML export');
  }
  const tables: AscTables = new Map();
  const lines = lineNumbers(text);
  for (const [table, rowTag] of Object.entries(TABLES)) {
    const t = root[table];
    const rows = isObject(t) ? asList(t[rowTag]) : [];
    const at = lines(rowTag);
    tables.set(
      rowTag,
      rows.map((r, i) => ({
        attrs: attributes(r),
        position: `line ${at[i] ?? '?'} (${rowTag} ${i + 1})`,
      })),
    );
  }
  return tables;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function asList(v: unknown): unknown[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

function attributes(row: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(row)) return out;
  for (const [k, v] of Object.entries(row)) {
    if (typeof v === 'string') out[k] = unescapeXml(v);
  }
  return out;
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The five predefined entities and character references, in one pass: nothing re-expands. */
export function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (all, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code <= 0x10ffff ? String.fromCodePoint(code) : all;
    }
    return NAMED[ref] ?? all;
  });
}

/** For a row tag, the line of each `<tag ...>` in document order, comments blanked out. */
function lineNumbers(text: string): (tag: string) => number[] {
  const plain = text.replace(/<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>/g, (c) => c.replace(/[^\n]/g, ' '));
  const starts: number[] = [0];
  for (let i = plain.indexOf('\n'); i !== -1; i = plain.indexOf('\n', i + 1)) starts.push(i + 1);
  const lineOf = (offset: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  return (tag) => [...plain.matchAll(new RegExp(`<${tag}[\\s/>]`, 'g'))].map((m) => lineOf(m.index));
}
