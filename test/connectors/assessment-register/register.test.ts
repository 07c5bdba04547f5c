/** The assessment register's files: which feeds which stream. */
import { describe, expect, it } from 'vitest';
import register from '../../../connectors/assessment-register/index.ts';
import { fixturePath, readAll } from '../../helpers/connector-read.ts';

const files = ['assessments.csv', 'devices.csv', 'accounts.csv'].map((f) => fixturePath('assessment-register', 'sch-001', f));

describe('the register folder of a school', () => {
  it('feeds the tests to `assessments`', async () => {
    const { records, rejects } = await readAll(register, 'assessments', {}, files);
    expect(rejects).toEqual([]);
    expect(records).toHaveLength(8);
    expect(records[1]?.data).toEqual({ Тест: 'PE-5A-NORMS', Название: 'Нормативы ГТО, бег 60 м', Предмет: 'Физическая культура', Класс: '5А', 'Вид работы': 'Зачёт', Вес: '1', Дата: '18.09.2026', 'Макс. балл': '20', Шкала: 'зачёт' });
  });

  it('feeds remotes and accounts to `participants`', async () => {
    const { records } = await readAll(register, 'participants', {}, files);
    expect(records.map((r) => r.position)).toEqual(['devices.csv line 2', 'devices.csv line 3', 'devices.csv line 4', 'accounts.csv line 2', 'accounts.csv line 3', 'accounts.csv line 4']);
    expect(records[0]?.data).toEqual({ Класс: '5А', Пульт: 'A1B2C3', Ученик: '1001' });
  });
});
