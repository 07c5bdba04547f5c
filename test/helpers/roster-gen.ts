/** Writes a synthetic v1 roster (students only) for queue and crash tests. */
import fs from 'node:fs';
import path from 'node:path';

const FIRST = ['Иван', 'Пётр', 'Анна', 'Мария', 'Олег', 'Вера', 'Глеб', 'Нина', 'Лев', 'Ева'];
const LAST = ['Смирнов', 'Кузнецов', 'Попов', 'Соколов', 'Лебедев', 'Козлов', 'Новиков', 'Морозов', 'Волков', 'Зайцев'];

export function writeRoster(dir: string, opts: { students: number; prefix: string; tag: string }): string {
  fs.mkdirSync(dir, { recursive: true });
  const lines = ['Код;Фамилия;Имя;Отчество;Дата рождения;Пол;СНИЛС;ID ЕСИА;Класс;Подгруппа;Дата зачисления;Согласие ЭД;Согласие LMS;Согласие SMS'];
  for (let i = 0; i < opts.students; i++) {
    const grade = 1 + (i % 11);
    const letter = 'АБВ'[Math.floor(i / 11) % 3];
    const day = String(1 + (i % 28)).padStart(2, '0');
    const year = 2019 - grade;
    // The tag makes names unique per instance, so identity never links two instances' children.
    lines.push([`${opts.prefix}${i}`, `${LAST[i % 10]}-${opts.tag}`, FIRST[Math.floor(i / 10) % 10], `Тестович${Math.floor(i / 100)}`, `${day}.03.${year}`, i % 2 ? 'Ж' : 'М', '', '', `${grade}${letter}`, '', '01.09.2022', 'да', 'да', ''].join(';'));
  }
  const file = path.join(dir, 'students.csv');
  fs.writeFileSync(file, `${lines.join('\r\n')}\r\n`);
  return file;
}
