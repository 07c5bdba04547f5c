import { describe, expect, it } from 'vitest';
import { parseAscTimetable } from '../../../connectors/asc-timetables/parse.ts';
import { PermanentError } from '../../../src/core/errors.ts';

/** A minimal export: two lessons on the 2nd and 3rd day of the file's own day list. */
function exportWithDays(days: [name: string, short: string][]): string {
  const mask = (i: number) => days.map((_, j) => (j === i ? '1' : '0')).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<timetable displayname="aSc Timetables 2012 XML">
  <periods columns="period,name,short,starttime,endtime"><period period="1" name="1" short="1" starttime="8:00" endtime="8:45"/></periods>
  <daysdefs columns="id,days,name,short">
    <daysdef id="ANY" name="Будь-який день" short="X" days="${days.map((_, i) => mask(i)).join(',')}"/>
    ${days.map(([name, short], i) => `<daysdef id="D${i}" name="${name}" short="${short}" days="${mask(i)}"/>`).join('\n    ')}
  </daysdefs>
  <subjects columns="id,name,short,partner_id"><subject id="S" name="Математика" short="МАТ" partner_id=""/></subjects>
  <teachers columns="id,name,short"><teacher id="T" name="Іваненко Олена" short="ІваненкоО"/></teachers>
  <classes columns="id,name,short"><class id="C" name="5-А" short="5-А"/></classes>
  <lessons columns="id,subjectid,classids,groupids,teacherids,classroomids"><lesson id="L" subjectid="S" classids="C" groupids="" teacherids="T" classroomids=""/></lessons>
  <cards columns="lessonid,period,days,weeks,terms,classroomids">
    <card lessonid="L" period="1" days="${mask(1)}" weeks="1" terms="1" classroomids=""/>
    <card lessonid="L" period="1" days="${mask(2)}" weeks="1" terms="1" classroomids=""/>
  </cards>
</timetable>`;
}

const weekdays = (xml: string, firstDay?: 'monday' | 'sunday' | 'saturday') =>
  parseAscTimetable(xml, firstDay ? { firstDay } : {}).lessons.map((l) => l.weekday);

describe('aSc day masks follow the file’s own day order', () => {
  it('reads Ukrainian day names (Понеділок first): Tuesday and Wednesday', () => {
    const ua: [string, string][] = [
      ['Понеділок', 'Пн'],
      ['Вівторок', 'Вт'],
      ['Середа', 'Ср'],
      ['Четвер', 'Чт'],
      ['П’ятниця', 'Пт'],
    ];
    expect(weekdays(exportWithDays(ua))).toEqual([2, 3]);
  });

  it('reads English names in a Sunday-first file: Monday and Tuesday', () => {
    const en: [string, string][] = [
      ['Sunday', 'Su'],
      ['Monday', 'Mo'],
      ['Tuesday', 'Tu'],
      ['Wednesday', 'We'],
      ['Thursday', 'Th'],
    ];
    expect(weekdays(exportWithDays(en))).toEqual([1, 2]);
  });

  it('recognises a day by its short name when the long one is unusual', () => {
    const ru: [string, string][] = [
      ['Первый день', 'Пн'],
      ['Второй день', 'Вт'],
      ['Третий день', 'Ср'],
    ];
    expect(weekdays(exportWithDays(ru))).toEqual([2, 3]);
  });

  it('falls back to the configured first day when names are not recognisable, and the file wins when they are', () => {
    const unnamed: [string, string][] = [
      ['День 1', 'Д1'],
      ['День 2', 'Д2'],
      ['День 3', 'Д3'],
    ];
    expect(weekdays(exportWithDays(unnamed), 'sunday')).toEqual([1, 2]);
    // Saturday-first: the 2nd day is Sunday (7), the 3rd Monday (1); lessons come sorted by weekday.
    expect(weekdays(exportWithDays(unnamed), 'saturday')).toEqual([1, 7]);
    const ru: [string, string][] = [
      ['Понедельник', 'Пн'],
      ['Вторник', 'Вт'],
      ['Среда', 'Ср'],
    ];
    expect(weekdays(exportWithDays(ru), 'sunday')).toEqual([2, 3]);
  });

  it('fails with first_day_unknown asking for firstDay when neither says it', () => {
    const unnamed: [string, string][] = [
      ['День 1', 'Д1'],
      ['День 2', 'Д2'],
      ['День 3', 'Д3'],
    ];
    const run = () => parseAscTimetable(exportWithDays(unnamed));
    expect(run).toThrow(PermanentError);
    expect(run).toThrow(/firstDay/);
    try {
      run();
    } catch (err) {
      expect((err as PermanentError).code).toBe('first_day_unknown');
    }
  });

  it('fails the same way when the names contradict each other', () => {
    const mixed: [string, string][] = [
      ['Понедельник', 'Пн'],
      ['Понедельник', 'Пн'],
      ['Среда', 'Ср'],
    ];
    expect(() => parseAscTimetable(exportWithDays(mixed))).toThrow(/disagree/);
  });
});
