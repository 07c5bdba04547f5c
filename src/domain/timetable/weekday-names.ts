/**
 * Weekday names as timetable files write them. aSc names its days in the school's language and
 * does not always start on Monday (formats.md §1 "Day and week strings": a Sunday-first export
 * exists), so the day order is read from these names. aSc itself is Slovak, hence Slovak and
 * Czech; the rest covers the region's schools and English-language installs.
 */
import type { IsoWeekday } from './model.ts';

// One line per day, by language: Russian, Ukrainian, English, German, Slovak, Czech, Polish, French.
// prettier-ignore
const NAMES: Record<IsoWeekday, string[]> = {
  1: ['понедельник', 'пн', 'пнд', 'понеділок', 'monday', 'mon', 'mo', 'montag', 'pondelok', 'po', 'pondělí', 'poniedziałek', 'lundi'],
  2: ['вторник', 'вт', 'втр', 'вівторок', 'tuesday', 'tue', 'tues', 'tu', 'dienstag', 'di', 'utorok', 'ut', 'úterý', 'út', 'wtorek', 'mardi'],
  3: ['среда', 'ср', 'срд', 'середа', 'wednesday', 'wed', 'we', 'mittwoch', 'mi', 'streda', 'st', 'středa', 'środa', 'mercredi'],
  4: ['четверг', 'чт', 'чтв', 'четвер', 'thursday', 'thu', 'thur', 'thurs', 'th', 'donnerstag', 'do', 'štvrtok', 'št', 'čtvrtek', 'czwartek', 'jeudi'],
  5: ['пятница', 'пт', 'птн', "п'ятниця", 'friday', 'fri', 'fr', 'freitag', 'piatok', 'pi', 'pátek', 'pá', 'piątek', 'vendredi'],
  6: ['суббота', 'сб', 'сбт', 'субота', 'saturday', 'sat', 'sa', 'samstag', 'sobota', 'samedi'],
  7: ['воскресенье', 'вс', 'вск', 'неділя', 'нд', 'sunday', 'sun', 'su', 'sonntag', 'nedeľa', 'ne', 'neděle', 'niedziela', 'dimanche'],
};

const LOOKUP = new Map<string, IsoWeekday>();
for (const [day, names] of Object.entries(NAMES)) {
  for (const name of names) LOOKUP.set(name, Number(day) as IsoWeekday);
}

/**
 * The ISO weekday a name denotes, or undefined. Two-letter codes that mean different days in
 * different languages ("So": Sonntag or Sobota) are deliberately not listed.
 * Ukrainian apostrophe variants (', ’, ʼ) and a trailing dot ("Пн.") are accepted.
 */
export function weekdayFromName(name: string): IsoWeekday | undefined {
  const n = name.trim().toLowerCase().replace(/[’ʼ`]/g, "'").replace(/\.$/, '');
  return LOOKUP.get(n);
}

/** `1`..`7` or a name; undefined otherwise. */
export function weekdayFromCell(value: string): IsoWeekday | undefined {
  const t = value.trim();
  if (/^[1-7]$/.test(t)) return Number(t) as IsoWeekday;
  return weekdayFromName(t);
}

export const FIRST_DAY_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type FirstDayName = (typeof FIRST_DAY_NAMES)[number];

export function weekdayOfFirstDayName(name: FirstDayName): IsoWeekday {
  return (FIRST_DAY_NAMES.indexOf(name) + 1) as IsoWeekday;
}
