/**
 * Russian names for benchmark people. Every person is a random combination of common first
 * names, patronymics and surnames: invented, never a real person's record. The pools include
 * names with ё (Артём, Королёв) and Tatar names common in the Samara region; a small share of
 * surnames is hyphenated.
 */
import type { Rng } from './rng.ts';

export type Sex = 'M' | 'F';

export interface FullName {
  lastName: string;
  firstName: string;
  middleName: string;
}

const words = (s: string): readonly string[] => s.trim().split(/\s+/);

/** Names given to children born 2008–2020. */
const CHILD_MALE = words(`Александр Максим Артём Михаил Иван Дмитрий Даниил Кирилл Матвей Егор
  Тимофей Марк Лев Илья Роман Андрей Никита Степан Фёдор Алексей Ярослав Владимир Сергей Глеб
  Николай Арсений Денис Павел Тимур Мирон Богдан Савелий Захар Платон Всеволод Семён Давид Георгий
  Макар Пётр Эмиль Ильдар Данияр`);
const CHILD_FEMALE = words(`Анна София Мария Алиса Виктория Полина Анастасия Ева Варвара Дарья
  Василиса Ксения Вероника Елизавета Александра Милана Екатерина Арина Валерия Алёна Кира Ульяна
  Злата Есения Маргарита Ангелина Диана Софья Юлия Мирослава Вера Таисия Алия Амина Агата
  Ярослава Стефания Олеся Надежда`);
/** Names of parents and staff born 1960–1998. */
const ADULT_MALE = words(`Сергей Андрей Алексей Дмитрий Александр Евгений Михаил Владимир Игорь
  Олег Николай Павел Юрий Виктор Денис Роман Антон Константин Вадим Виталий Максим Иван Артём Илья
  Никита Пётр Валерий Геннадий Анатолий Василий Станислав Григорий Борис Леонид Фёдор Кирилл Тимур
  Эдуард Вячеслав Ярослав Руслан Лев Матвей Аркадий Глеб Рустам Ильдар Айдар Семён Степан`);
const ADULT_FEMALE = words(`Елена Ольга Наталья Татьяна Ирина Светлана Анна Юлия Екатерина Марина
  Людмила Галина Надежда Оксана Евгения Мария Анастасия Дарья Ксения Валентина Лариса Любовь Вера
  Алёна Кристина Виктория Олеся Нина Алла Жанна Яна Полина Гульнара Лилия Эльвира Альбина Зоя
  Маргарита Инна Тамара`);

/** Male surname forms; the female form follows from the ending (see `surnameForm`). */
const SURNAMES = words(`Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков
  Фёдоров Морозов Волков Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев Орлов
  Андреев Макаров Никитин Захаров Зайцев Соловьёв Борисов Яковлев Григорьев Романов Воробьёв
  Сергеев Кузьмин Фролов Александров Дмитриев Королёв Гусев Киселёв Ильин Максимов Поляков Сорокин
  Виноградов Ковалёв Белов Медведев Антонов Тарасов Жуков Баранов Филиппов Комаров Давыдов Беляев
  Герасимов Богданов Осипов Сидоров Матвеев Титов Марков Миронов Крылов Куликов Карпов Власов
  Мельников Денисов Гаврилов Тихонов Казаков Афанасьев Данилов Савельев Тимофеев Фомин Чернов
  Абрамов Мартынов Ефимов Федотов Щербаков Назаров Калинин Исаев Чернышёв Быков Маслов Родионов
  Коновалов Лазарев Воронин Климов Филатов Пономарёв Голубев Кудрявцев Прохоров Наумов Потапов
  Журавлёв Овчинников Трофимов Леонов Соболев Ермаков Колесников Гончаров Емельянов Никифоров
  Грачёв Котов Гришин Ефремов Архипов Громов Кириллов Малышев Панов Моисеев Румянцев Акимов
  Кондратьев Бирюков Горбунов Анисимов Ерёмин Тихомиров Галкин Лукьянов Михеев Скворцов Юдин
  Белоусов Нестеров Симонов Прокофьев Харитонов Князев Цветков Левин Воронов Аксёнов Мальцев
  Логинов Горшков Савин Краснов Майоров Демидов Елисеев Рыбаков Сафонов Плотников Дёмин Хохлов
  Жданов Ершов Шестаков Селезнёв Кононов Хабибуллин Сафин Галиев Закиров Шарипов Валиев Гарипов
  Успенский Покровский Вознесенский Яблонский Троицкий Высоцкий Островский Шевчук Коваленко
  Бондаренко Черных Седых Кравчук Ткаченко Толстой`);

const PATRONYMIC_EXCEPTIONS: Readonly<Record<string, readonly [string, string]>> = {
  Илья: ['Ильич', 'Ильинична'],
  Никита: ['Никитич', 'Никитична'],
  Лев: ['Львович', 'Львовна'],
  Павел: ['Павлович', 'Павловна'],
  Пётр: ['Петрович', 'Петровна'],
  Михаил: ['Михайлович', 'Михайловна'],
  Дмитрий: ['Дмитриевич', 'Дмитриевна'],
};

/** Patronymic from a father's first name: Иван -> Иванович/Ивановна, Сергей -> Сергеевич/-евна. */
export function patronymic(fatherName: string, sex: Sex): string {
  const exception = PATRONYMIC_EXCEPTIONS[fatherName];
  if (exception) return sex === 'M' ? exception[0] : exception[1];
  const soft = /[йь]$/.test(fatherName);
  const stem = fatherName.endsWith('ий')
    ? `${fatherName.slice(0, -2)}ь`
    : soft
      ? fatherName.slice(0, -1)
      : fatherName;
  const suffix = soft ? 'ев' : 'ов';
  return `${stem}${suffix}${sex === 'M' ? 'ич' : 'на'}`;
}

/** The gendered form of a (possibly hyphenated) male surname: Иванов -> Иванова. */
export function surnameForm(male: string, sex: Sex): string {
  return sex === 'M' ? male : femaleSurname(male);
}

const femaleSurname = memo((male) =>
  male
    .split('-')
    .map((part) => {
      if (/(ов|ев|ёв|ин|ын)$/.test(part)) return `${part}а`;
      if (/(ский|цкий)$/.test(part)) return `${part.slice(0, -2)}ая`;
      if (part.endsWith('ой')) return `${part.slice(0, -2)}ая`;
      return part;
    })
    .join('-'),
);

/** A male-form surname; `hyphenChance` of them are double-barrelled (Соколов-Нечаев). */
export function pickSurname(rng: Rng, hyphenChance = 0): string {
  const first = rng.pick(SURNAMES);
  if (!rng.chance(hyphenChance)) return first;
  let second = rng.pick(SURNAMES);
  while (second === first) second = rng.pick(SURNAMES);
  return `${first}-${second}`;
}

export function pickChildName(rng: Rng, sex: Sex): string {
  return rng.pick(sex === 'M' ? CHILD_MALE : CHILD_FEMALE);
}

export function pickAdultName(rng: Rng, sex: Sex): string {
  return rng.pick(sex === 'M' ? ADULT_MALE : ADULT_FEMALE);
}

/** A full adult name with a patronymic from a random father's name. */
export function adultFullName(rng: Rng, sex: Sex, maleSurname: string): FullName {
  return {
    lastName: surnameForm(maleSurname, sex),
    firstName: pickAdultName(rng, sex),
    middleName: patronymic(pickAdultName(rng, 'M'), sex),
  };
}

/** Per-school teacher short code as journals show it: Иванова Анна Петровна -> ИвановаАП. */
export function shortName(name: FullName): string {
  return `${name.lastName}${name.firstName.slice(0, 1)}${name.middleName.slice(0, 1)}`;
}

const TRANSLIT: Readonly<Record<string, string>> = Object.fromEntries(
  words(`а:a б:b в:v г:g д:d е:e ё:e ж:zh з:z и:i й:y к:k л:l м:m н:n о:o п:p р:r с:s т:t у:u
    ф:f х:kh ц:ts ч:ch ш:sh щ:shch ъ: ы:y ь: э:e ю:yu я:ya -:-`).map((pair) => pair.split(':')),
);

/** Names come from small pools, so the derived forms are memoized (the generator's hot path). */
function memo(fn: (text: string) => string): (text: string) => string {
  const cache = new Map<string, string>();
  return (text) => {
    let out = cache.get(text);
    if (out === undefined) cache.set(text, (out = fn(text)));
    return out;
  };
}

/** Latin spelling for invented e-mail addresses. */
export const translit = memo((text) => {
  let out = '';
  for (const ch of text.toLowerCase()) out += TRANSLIT[ch] ?? '';
  return out;
});
