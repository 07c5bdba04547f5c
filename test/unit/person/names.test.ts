import { describe, expect, it } from 'vitest';
import { nameKey, normalizeName } from '../../../src/domain/person/names.ts';

describe('names are stored the way they are printed in a class journal', () => {
  it.each([
    ['  Фёдоров ', 'Фёдоров'],
    ['ВОЛКОВ', 'Волков'],
    ['семёнова', 'Семёнова'],
    ['Петров - Водкин', 'Петров-Водкин'],
    ['петрова–водкина', 'Петрова-Водкина'],
    ['РИМСКИЙ-КОРСАКОВ', 'Римский-Корсаков'],
    ['Гусейн   Заде', 'Гусейн Заде'],
    ['мамин сибиряк', 'Мамин Сибиряк'],
    ['Анна\u00A0Мария', 'Анна Мария'],
    ['МакКуин', 'МакКуин'],
    ['', ''],
  ])('%j -> %j', (raw, name) => {
    expect(normalizeName(raw)).toBe(name);
  });
});

describe('names compare regardless of case, spacing and ё', () => {
  it('treats spellings of the same name as one', () => {
    expect(nameKey('Фёдоров')).toBe(nameKey('ФЕДОРОВ'));
    expect(nameKey('Петров - Водкин')).toBe(nameKey('петров-водкин'));
    expect(nameKey('Семёнова')).toBe('семенова');
  });

  it('keeps different names apart', () => {
    expect(nameKey('Гусейн Заде')).not.toBe(nameKey('Гусейн-Заде'));
    expect(nameKey('Иванов')).not.toBe(nameKey('Иванова'));
  });
});
