/**
 * Issue 7: consent for purpose `lms`. A person who refused (or gave no answer, where hub.yaml
 * says unknown means refused) is never sent and is counted as withheld; a refusal after the
 * account was made suspends it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type MoodleHub, moodleHubs, writes } from './moodle-hub.ts';

const start = moodleHubs();
let m: MoodleHub | undefined;
afterEach(async () => {
  await m?.close();
  m = undefined;
});

const sentNames = (hub: MoodleHub) =>
  writes(hub.calls)
    .filter((c) => c.fn === 'core_user_create_users')
    .flatMap((c) => (c.params.users as Array<{ lastname: string }>).map((u) => u.lastname));

describe('persons without consent for lms', () => {
  it('a refusal is withheld and never reaches Moodle', async () => {
    m = await start();
    await m.roster();
    const s = await m.sync();
    expect(s.streams.users).toMatchObject({ read: 9, sent: 8, withheld: 1 });
    expect(sentNames(m)).not.toContain('Ким');
    expect(JSON.stringify(m.calls.map((c) => [...c.params.values()]))).not.toContain(await m.uid('Ким'));
  });

  it('no answer is withheld too when hub.yaml says unknown means refused', async () => {
    m = await start({ extra: { consent: { unknownMeans: { lms: 'refused' } } } });
    await m.roster();
    const s = await m.sync();
    // Ёлкин left the column empty, and the staff file records no consent at all: unknown for all three.
    expect(s.streams.users).toMatchObject({ read: 9, sent: 5, withheld: 4 });
    expect(sentNames(m)).toEqual(['Орлова', 'Зайцев', 'Белова', 'Гарипова', 'Нестеров']);
  });
});

describe('a refusal recorded after the account was made', () => {
  it('suspends the account with one call and counts the person as withheld', async () => {
    m = await start();
    await m.roster();
    await m.sync();
    const orlova = m.site.user(await m.uid('Орлова'));
    await m.roster((csv) =>
      csv.replace(
        '2001;Орлова;Анна;Сергеевна;12.03.2015;Ж;;;5А;;01.09.2022;да;да;да',
        '2001;Орлова;Анна;Сергеевна;12.03.2015;Ж;;;5А;;01.09.2022;да;нет;да',
      ),
    );
    const s = await m.sync();
    expect(writes(m.calls)).toEqual([
      { fn: 'core_user_update_users', params: { users: [{ id: String(orlova.id), suspended: '1' }] } },
    ]);
    expect(orlova.suspended).toBe(true);
    expect(s.streams.users).toMatchObject({ read: 9, sent: 0, withheld: 2, failed: 0 });
    const history = await m.h.rt
      .db('consent_history as c')
      .join('persons as p', 'p.id', 'c.person_id')
      .where({ 'p.last_name': 'Орлова', 'c.purpose': 'lms' })
      .orderBy('c.id')
      .select('c.status');
    expect(history.map((r: { status: string }) => r.status)).toEqual(['granted', 'refused']);
    // Withdrawn stays withdrawn: a hand reactivation is undone, nothing else about her is sent.
    orlova.suspended = false;
    await m.sync();
    expect(writes(m.calls)).toEqual([
      { fn: 'core_user_update_users', params: { users: [{ id: String(orlova.id), suspended: '1' }] } },
    ]);
  });
});
