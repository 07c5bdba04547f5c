import { describe, expect, it } from 'vitest';
import { weekdayFromCell, weekdayFromName } from '../../../src/domain/timetable/weekday-names.ts';

describe('weekday names as timetable files write them', () => {
  it('knows Russian, Ukrainian, English and German names and short forms', () => {
    expect(['Понедельник', 'пн', 'Пн.', 'Понеділок', 'Monday', 'Mon', 'Montag'].map(weekdayFromName)).toEqual([
      1, 1, 1, 1, 1, 1, 1,
    ]);
    expect(['Пятница', "П'ятниця", 'Пʼятниця', 'Fri'].map(weekdayFromName)).toEqual([5, 5, 5, 5]);
    expect(['Воскресенье', 'Вс', 'Неділя', 'Нд', 'Sunday', 'Sonntag'].map(weekdayFromName)).toEqual([7, 7, 7, 7, 7, 7]);
  });

  it('refuses ambiguous and unknown names', () => {
    // "So" is Sonntag in German and Sobota (Saturday) in Slovak.
    expect(['So', 'День 1', '', 'X'].map(weekdayFromName)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('reads a template cell: a name or 1..7', () => {
    expect(['Сб', '6', ' 3 ', '8', '0'].map(weekdayFromCell)).toEqual([6, 6, 3, undefined, undefined]);
  });
});
