/**
 * Usernames for the hub's accounts: `lastname.firstname`, transliterated and cleaned as Moodle
 * requires (username.ts). Namesakes cannot share one (Moodle's username is unique), so within one
 * sync the person the hub has known longest keeps the plain name and each other one gets the end
 * of their public id: public ids are UUIDv7, ordered by creation time, so adding a namesake later
 * never renames the account of the one who was there first.
 */
import { normalizeUsername } from './username.ts';

export interface NamedPerson {
  idnumber: string;
  lastname: string;
  firstname: string;
}

/** Moodle's `user.username` is a varchar(100). */
const MAX = 100;

export function assignUsernames(people: readonly NamedPerson[]): Map<string, string> {
  const byBase = new Map<string, NamedPerson[]>();
  for (const p of people) {
    // A name with no usable character stays as written: the sync plan reports it as a conflict.
    const raw = `${p.lastname}.${p.firstname}`;
    const base = normalizeUsername(raw)?.slice(0, MAX - 13) ?? raw;
    byBase.set(base, [...(byBase.get(base) ?? []), p]);
  }
  const out = new Map<string, string>();
  const taken = new Set(byBase.keys());
  for (const [base, group] of byBase) {
    const [first, ...others] = [...group].sort((a, b) => (a.idnumber < b.idnumber ? -1 : 1));
    out.set(first!.idnumber, base);
    for (const p of others) {
      const tail = p.idnumber.replace(/[^0-9a-z]/gi, '').toLowerCase();
      let name = base;
      for (let n = 4; n <= 12 && (name === base || taken.has(name)); n += 2) name = `${base}.${tail.slice(-n)}`;
      taken.add(name);
      out.set(p.idnumber, name);
    }
  }
  return out;
}
