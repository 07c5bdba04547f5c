/**
 * Lesson keys and the final ordering every timetable parser applies. A key is built from what
 * the school sees (weekday, period, classes, groups, subject, teachers, week and term pattern),
 * never from vendor ids: aSc writes new ids on every export (formats.md §1 "IDs"). The room is
 * an attribute, not part of the identity: a room change updates a lesson, it does not replace it.
 */
import type { TimetableReject, WeekPattern, WeeklyLesson } from './model.ts';

export type UnkeyedLesson = Omit<WeeklyLesson, 'key'>;

export function weekPatternText(weeks: WeekPattern): string {
  return typeof weeks === 'string' ? weeks : `mask:${weeks.mask}`;
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function lessonKey(l: UnkeyedLesson): string {
  const classes = [...l.classes].sort(byText).join('+');
  const groups = l.groups
    .map((g) => `${g.class}:${g.group}`)
    .sort(byText)
    .join('+');
  const teachers = l.teachers
    .map((t) => t.short)
    .sort(byText)
    .join('+');
  const parts = [
    `${l.weekday}.${l.period}`,
    classes,
    groups,
    l.subject.short ?? l.subject.name,
    teachers,
    weekPatternText(l.weeks),
  ];
  if (l.terms !== undefined && l.terms !== 'all') parts.push(`terms:${l.terms}`);
  if (l.validFrom !== undefined || l.validTo !== undefined) {
    parts.push(`${l.validFrom ?? ''}..${l.validTo ?? ''}`);
  }
  return parts.join('|');
}

/**
 * Keys the lessons, rejects exact duplicates (same key twice: the second is reported, never
 * silently merged) and sorts by weekday, period, key so every run yields the same order.
 */
export function finalizeLessons(lessons: readonly UnkeyedLesson[], rejects: TimetableReject[]): WeeklyLesson[] {
  const seen = new Map<string, WeeklyLesson>();
  for (const l of lessons) {
    const key = lessonKey(l);
    const first = seen.get(key);
    if (first) {
      rejects.push({
        entity: 'lesson',
        position: l.position,
        code: 'duplicate_lesson',
        message: `the same lesson (${key}) is already defined at ${first.position}`,
        data: l,
      });
      continue;
    }
    seen.set(key, { key, ...l });
  }
  return [...seen.values()].sort((a, b) => a.weekday - b.weekday || a.period - b.period || byText(a.key, b.key));
}

/** Sorted, de-duplicated, trimmed, without empty strings. */
export function cleanList(values: Iterable<string>): string[] {
  const set = new Set<string>();
  for (const v of values) {
    const t = v.trim();
    if (t !== '') set.add(t);
  }
  return [...set].sort(byText);
}
