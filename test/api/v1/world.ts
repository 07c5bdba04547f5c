/**
 * One small school world for the portal API tests (organizations from test/api/helpers.ts:
 * obr > sch-1, sch-2; other > sch-9). The week of Monday 2026-10-05 in class 5А of sch-1:
 * - Анна (group 1) and Борис (group 2); Дарья refused diary_portal; Вера in sch-2, Глеб in sch-9;
 * - period 1 Математика (whole class, topic, homework, Анна's 5 weight 2 "Контрольная работа");
 * - period 2 Английский язык per subgroup (Анна: late 7 minutes, a 4);
 * - period 3 Физика instead of Русский язык (a substitution);
 * - period 4 cancelled; Tuesday: the turnstile says absent for the day, the teacher says present
 *   at period 1; a "зач" given outside any lesson.
 */
import { Seeder, type Ref } from '../seed.ts';
import type { TestHub } from '../helpers.ts';

export const WEEK = { from: '2026-10-05', to: '2026-10-11' };
export const SNILS_ANNA = '112-233-445 95';

export interface World {
  seed: Seeder;
  anna: Ref; boris: Ref; darya: Ref; vera: Ref; gleb: Ref; teacher: Ref;
  c5a: Ref; g1: Ref; g2: Ref;
  math: Ref; english: Ref; russian: Ref; physics: Ref; room101: Ref;
  l1: Ref; l2g1: Ref; l2g2: Ref; l3: Ref; l4: Ref; tue1: Ref;
  m1: Ref; m2: Ref; mZach: Ref; hw1: Ref;
}

export async function buildWorld(hub: TestHub): Promise<World> {
  const seed = new Seeder(hub.rt.db, hub.clock.now);
  const anna = await seed.person({ last: 'Смирнова', first: 'Анна', middle: 'Игоревна', snils: '11223344595', esiaId: '1563978' });
  const boris = await seed.person({ last: 'Кузнецов', first: 'Борис' });
  const darya = await seed.person({ last: 'Попова', first: 'Дарья', snils: '98765432183', esiaId: '1563979' });
  const vera = await seed.person({ last: 'Васильева', first: 'Вера', snils: '21647164763', esiaId: '1563980' });
  const gleb = await seed.person({ last: 'Новиков', first: 'Глеб', esiaId: '1563981' });
  const teacher = await seed.person({ last: 'Иванова', first: 'Мария', middle: 'Петровна', esiaId: '2000001' });
  const english = await seed.person({ last: 'Петров', first: 'Олег', middle: 'Ильич' });
  await seed.staff(teacher, 'sch-1');
  await seed.staff(english, 'sch-1');

  const c5a = await seed.schoolClass('sch-1', '5А', 5);
  const g1 = await seed.group(c5a, '1');
  const g2 = await seed.group(c5a, '2');
  const c7v = await seed.schoolClass('sch-2', '7В', 7);
  const c9 = await seed.schoolClass('sch-9', '9А', 9);
  await seed.enroll(anna, 'sch-1', c5a, { group: g1 });
  await seed.enroll(boris, 'sch-1', c5a, { group: g2 });
  await seed.enroll(darya, 'sch-1', c5a, { group: g1 });
  await seed.enroll(vera, 'sch-2', c7v);
  await seed.enroll(gleb, 'sch-9', c9);
  await seed.consent(darya, 'diary_portal', 'refused');
  await seed.consent(anna, 'diary_portal', 'granted');

  const math = await seed.subject('sch-1', 'Математика');
  const englishSubject = await seed.subject('sch-1', 'Английский язык');
  const russian = await seed.subject('sch-1', 'Русский язык');
  const physics = await seed.subject('sch-1', 'Физика');
  const room101 = await seed.room('sch-1', '101');
  const room202 = await seed.room('sch-1', '202');

  const mon = '2026-10-05';
  const l1 = await seed.lesson({ org: 'sch-1', date: mon, period: 1, subject: math, room: room101, teachers: [teacher], audience: [{ cls: c5a }], topic: 'Сложение дробей' });
  const l2g1 = await seed.lesson({ org: 'sch-1', date: mon, period: 2, subject: englishSubject, room: room202, teachers: [english], audience: [{ cls: c5a, group: g1 }] });
  const l2g2 = await seed.lesson({ org: 'sch-1', date: mon, period: 2, subject: englishSubject, room: room101, teachers: [teacher], audience: [{ cls: c5a, group: g2 }] });
  const l3 = await seed.lesson({ org: 'sch-1', date: mon, period: 3, subject: physics, room: room101, teachers: [teacher], audience: [{ cls: c5a }], status: 'substituted', replaced: { subject_id: russian.id, note: 'Замена: физика вместо русского языка' } });
  const l4 = await seed.lesson({ org: 'sch-1', date: mon, period: 4, subject: russian, room: room101, teachers: [teacher], audience: [{ cls: c5a }], status: 'cancelled' });
  const tue1 = await seed.lesson({ org: 'sch-1', date: '2026-10-06', period: 1, subject: math, room: room101, teachers: [teacher], audience: [{ cls: c5a }] });

  const m1 = await seed.mark({ student: anna, org: 'sch-1', date: mon, lesson: l1, subject: math, value: '5', weight: 2, workType: 'Контрольная работа' });
  const m2 = await seed.mark({ student: anna, org: 'sch-1', date: mon, lesson: l2g1, subject: englishSubject, value: '4' });
  const mZach = await seed.mark({ student: anna, org: 'sch-1', date: '2026-10-06', subject: physics, value: 'зач', workType: 'Зачёт' });
  await seed.mark({ student: boris, org: 'sch-1', date: mon, lesson: l2g2, subject: englishSubject, value: '3' });
  await seed.mark({ student: darya, org: 'sch-1', date: mon, lesson: l1, subject: math, value: '2' });
  await seed.attendance({ student: anna, org: 'sch-1', date: mon, lesson: l2g1, status: 'late', minutesLate: 7, precedence: 20 });
  await seed.attendance({ student: anna, org: 'sch-1', date: '2026-10-06', status: 'absent', precedence: 10 });
  await seed.attendance({ student: anna, org: 'sch-1', date: '2026-10-06', lesson: tue1, status: 'present', precedence: 20 });
  await seed.attendance({ student: anna, org: 'sch-1', date: mon, lesson: l3, status: 'absent', precedence: 10 });
  await seed.attendance({ student: anna, org: 'sch-1', date: mon, lesson: l3, status: 'ill', precedence: 20 });
  const hw1 = await seed.homework({ org: 'sch-1', lesson: l1, text: '№ 12, 14 на с. 45', dueDate: '2026-10-07' });
  await seed.periodMark({ student: anna, subject: math, term: '1', value: '5', average: 4.71 });
  return { seed, anna, boris, darya, vera, gleb, teacher, c5a, g1, g2, math, english: englishSubject, russian, physics, room101, l1, l2g1, l2g2, l3, l4, tue1, m1, m2, mZach, hw1 };
}
