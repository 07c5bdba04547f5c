/**
 * The aSc reference tables, keyed by the export's ids so cards and lessons can be resolved. The
 * ids are only good inside this one file (formats.md §1 "IDs"); what leaves this module are the
 * trimmed names ("Messy names": aSc keeps leading and trailing spaces).
 */
import { normalizeTime } from '../../src/domain/timetable/dates.ts';
import type {
  BellPeriod,
  LessonSubject,
  LessonTeacher,
  PatternDef,
  TimetableReject,
} from '../../src/domain/timetable/model.ts';
import type { AscRow, AscTables } from './xml.ts';

export interface AscGroup {
  classId: string;
  name: string;
  /** `entireclass="1"`: the group is the whole class (formats.md §1 "Groups"). */
  entireClass: boolean;
}

export interface AscCatalog {
  periods: Map<number, BellPeriod>;
  subjects: Map<string, LessonSubject>;
  teachers: Map<string, LessonTeacher>;
  rooms: Map<string, string>;
  classes: Map<string, string>;
  groups: Map<string, AscGroup>;
  lessons: Map<string, Record<string, string>>;
  weeksDefs: Map<string, PatternDef>;
  termsDefs: Map<string, PatternDef>;
}

export const attr = (row: Record<string, string>, name: string): string => (row[name] ?? '').trim();

/** aSc comma lists (`classids="a,b"`), possibly empty. */
export const idList = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

export function buildCatalog(tables: AscTables, rejects: TimetableReject[]): AscCatalog {
  const rows = (tag: string): AscRow[] => tables.get(tag) ?? [];
  const byId = <T>(tag: string, f: (a: Record<string, string>) => T | undefined): Map<string, T> => {
    const m = new Map<string, T>();
    for (const { attrs } of rows(tag)) {
      const value = f(attrs);
      if (value !== undefined) m.set(attr(attrs, 'id'), value);
    }
    return m;
  };
  const defs = (tag: string, maskAttr: string): Map<string, PatternDef> =>
    byId(tag, (a) => ({ name: attr(a, 'name'), short: attr(a, 'short'), mask: attr(a, maskAttr) }));
  return {
    periods: periods(rows('period'), rejects),
    subjects: byId('subject', subject),
    teachers: byId('teacher', teacher),
    rooms: byId('classroom', (a) => attr(a, 'short') || attr(a, 'name') || undefined),
    classes: byId('class', (a) => attr(a, 'short') || attr(a, 'name') || undefined),
    groups: byId('group', (a) => ({
      classId: attr(a, 'classid'),
      name: attr(a, 'name'),
      entireClass: attr(a, 'entireclass') === '1',
    })),
    lessons: byId('lesson', (a) => a),
    weeksDefs: defs('weeksdef', 'weeks'),
    termsDefs: defs('termsdef', 'terms'),
  };
}

function subject(a: Record<string, string>): LessonSubject | undefined {
  const name = attr(a, 'name') || attr(a, 'short');
  if (name === '') return undefined;
  const s: LessonSubject = { name };
  if (attr(a, 'short') !== '') s.short = attr(a, 'short');
  if (attr(a, 'partner_id') !== '') s.externalId = attr(a, 'partner_id');
  return s;
}

function teacher(a: Record<string, string>): LessonTeacher | undefined {
  const short = attr(a, 'short') || attr(a, 'name');
  if (short === '') return undefined;
  const t: LessonTeacher = { short };
  const optional: [keyof LessonTeacher, string][] = [
    ['name', 'name'],
    ['lastName', 'lastname'],
    ['firstName', 'firstname'],
    ['email', 'email'],
    ['externalId', 'partner_id'],
  ];
  for (const [key, column] of optional) if (attr(a, column) !== '') t[key] = attr(a, column);
  return t;
}

/** `<period period="1" starttime="8:30" .../>`: `period` is the number cards refer to. */
function periods(rows: AscRow[], rejects: TimetableReject[]): Map<number, BellPeriod> {
  const out = new Map<number, BellPeriod>();
  for (const { attrs, position } of rows) {
    const reject = (code: string, message: string, field: string): void => {
      rejects.push({ entity: 'period', position, code, message, field, data: attrs });
    };
    const text = attr(attrs, 'period');
    const period = Number(text);
    if (text === '' || !Number.isInteger(period) || period < 0) {
      reject('bad_period', `period="${text}" is not a period number`, 'period');
      continue;
    }
    if (out.has(period)) {
      reject('duplicate_period', `period ${period} is defined twice`, 'period');
      continue;
    }
    const start = normalizeTime(attr(attrs, 'starttime'));
    const end = normalizeTime(attr(attrs, 'endtime'));
    if (start === undefined || end === undefined || end <= start) {
      const field = start === undefined ? 'starttime' : 'endtime';
      reject(
        'bad_time',
        `period ${period}: "${attr(attrs, 'starttime')}"–"${attr(attrs, 'endtime')}" is not a time range`,
        field,
      );
      continue;
    }
    out.set(period, { period, start, end });
  }
  return out;
}
