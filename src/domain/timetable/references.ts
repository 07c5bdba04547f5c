/**
 * What a timetable names, matched to the organization's core rows (ARCHITECTURE.md, "Decisions"):
 * classes come from the roster and an unknown one is rejected; teachers match by their
 * per-organization short code (staff.short_code, then links this instance saved earlier), then
 * by full name among the organization's staff; subjects and rooms are matched per organization
 * by normalized name and created when new; subgroups are created under roster classes. Loaded
 * once per run and organization (one query per table), kept in the run's cache.
 */
import type { Knex } from 'knex';
import type { VersionSource } from '../../db/change-versions.ts';
import { saveLinks } from '../../db/crosswalk.ts';
import { upsertByNk } from '../../db/upsert.ts';
import type { LoadContext } from '../../pipeline/target.ts';
import { parseClassName } from '../class-name.ts';
import { nameKey } from '../person/names.ts';
import type { LessonSubject, LessonTeacher } from './model.ts';

/** Trimmed, one space, lower case, ё = е: "Литература " and "литература" are one subject. */
export const normalizeName = (s: string): string => s.replace(/\s+/g, ' ').trim().toLowerCase().replace(/ё/g, 'е');
/** Short codes ignore spaces too (" СидоровИВ", "Сидоров ИВ"). */
const normalizeShort = (s: string): string => normalizeName(s).replace(/ /g, '');

export type Resolved<T> = { ok: T } | { code: string; message: string; field: string };

interface StaffIndex {
  byShort: Map<string, number>;
  byFullName: Map<string, number[]>;
  byLastFirst: Map<string, number[]>;
}

export class TimetableReferences {
  private classes = new Map<string, number>();
  private groups = new Map<string, { id: number; name: string }>();
  private staff: StaffIndex = { byShort: new Map(), byFullName: new Map(), byLastFirst: new Map() };
  private links = new Map<string, number>();
  private newLinks = new Map<string, { short: string; id: number }>();
  private subjectsByName = new Map<string, number>();
  private subjectsByShort = new Map<string, number>();
  private rooms = new Map<string, number>();
  /** A dry run writes nothing: what it would create gets a stand-in id (negative) for the plan. */
  private standIn = 0;

  private constructor(
    readonly orgId: number,
    readonly orgCode: string,
    readonly yearCode: string,
  ) {}

  /** The run's instance, loaded on first use. */
  static async of(trx: Knex.Transaction, ctx: LoadContext, orgId: number, yearCode: string): Promise<TimetableReferences> {
    const key = `timetable:refs:${ctx.org.code}:${yearCode}`;
    const cached = ctx.cache.get(key);
    if (cached instanceof TimetableReferences) return cached;
    const refs = new TimetableReferences(orgId, ctx.org.code, yearCode);
    await refs.load(trx, ctx);
    ctx.cache.set(key, refs);
    return refs;
  }

  private async load(trx: Knex.Transaction, ctx: LoadContext): Promise<void> {
    const classes = await trx('classes').where({ organization_id: this.orgId, year_code: this.yearCode }).whereNull('deleted_at').select('id', 'name');
    for (const c of classes) this.classes.set(canonicalClass(String(c.name)) ?? String(c.name), Number(c.id));
    if (classes.length > 0) {
      const groups = await trx('class_groups').whereIn('class_id', classes.map((c: { id: number }) => Number(c.id))).whereNull('deleted_at').select('id', 'class_id', 'name');
      for (const g of groups) this.groups.set(`${g.class_id}|${normalizeName(String(g.name))}`, { id: Number(g.id), name: String(g.name) });
    }
    const staff = await trx('staff as s').join('persons as p', 'p.id', 's.person_id')
      .where('s.organization_id', this.orgId).whereNull('s.deleted_at').whereNull('p.merged_into')
      .select('s.short_code', 's.person_id', 'p.name_key', 'p.last_name', 'p.first_name');
    for (const s of staff) {
      const id = Number(s.person_id);
      if (s.short_code) this.staff.byShort.set(normalizeShort(String(s.short_code)), id);
      push(this.staff.byFullName, String(s.name_key), id);
      push(this.staff.byLastFirst, nameKey(`${s.last_name} ${s.first_name}`), id);
    }
    const links = await trx('external_ids').where({ source: ctx.instance.name, entity: 'person' }).where('external_id', 'like', 'teacher:%').select('external_id', 'core_id');
    for (const l of links) this.links.set(normalizeShort(String(l.external_id).slice('teacher:'.length)), Number(l.core_id));
    for (const s of await trx('subjects').where({ organization_id: this.orgId }).whereNull('deleted_at').select('id', 'name', 'short_name')) {
      this.subjectsByName.set(normalizeName(String(s.name)), Number(s.id));
      if (s.short_name) this.subjectsByShort.set(normalizeName(String(s.short_name)), Number(s.id));
    }
    for (const r of await trx('rooms').where({ organization_id: this.orgId }).whereNull('deleted_at').select('id', 'name')) {
      this.rooms.set(normalizeName(String(r.name)), Number(r.id));
    }
  }

  /** A roster class of this year, by its name as the timetable writes it ("5 А", "5А"). */
  classId(name: string): Resolved<number> {
    const canonical = canonicalClass(name);
    const id = canonical === undefined ? undefined : this.classes.get(canonical);
    if (id !== undefined) return { ok: id };
    return { code: 'class_not_in_roster', field: 'classes', message: `class "${name}" is not in the roster of ${this.orgCode} for ${this.yearCode}: load the roster first, or correct the class in the timetable` };
  }

  canonicalClassName(name: string): string {
    return canonicalClass(name) ?? name.trim();
  }

  teacherId(t: LessonTeacher): Resolved<number> {
    const short = normalizeShort(t.short);
    const byCode = this.staff.byShort.get(short) ?? this.links.get(short) ?? this.newLinks.get(short)?.id;
    if (byCode !== undefined) return { ok: byCode };
    const candidates = [
      t.name ? this.staff.byFullName.get(nameKey(t.name)) : undefined,
      t.name ? this.staff.byLastFirst.get(nameKey(t.name)) : undefined,
      t.lastName && t.firstName ? this.staff.byLastFirst.get(nameKey(`${t.lastName} ${t.firstName}`)) : undefined,
    ];
    for (const ids of candidates) {
      const unique = [...new Set(ids ?? [])];
      if (unique.length === 1 && unique[0] !== undefined) {
        this.newLinks.set(short, { short: t.short.trim(), id: unique[0] });
        return { ok: unique[0] };
      }
    }
    const named = t.name ? ` (${t.name})` : '';
    return { code: 'teacher_not_on_staff', field: 'teachers', message: `teacher "${t.short}"${named} is not on the staff of ${this.orgCode}: no staff member with that short code or full name in the roster` };
  }

  /** Teachers matched by name this run: remembered in the crosswalk under their short code. */
  async saveTeacherLinks(trx: Knex.Transaction, ctx: LoadContext): Promise<void> {
    if (this.newLinks.size === 0) return;
    const links = [...this.newLinks.values()].map((l) => ({ externalId: `teacher:${l.short}`, coreId: l.id }));
    await saveLinks(trx, ctx.instance.name, 'person', ctx.org.code, links, ctx.now, new Map());
    for (const [short, l] of this.newLinks) this.links.set(short, l.id);
    this.newLinks.clear();
  }

  /** Groups of roster classes by name, created when the roster does not know them. */
  async ensureGroups(trx: Knex.Transaction, versions: VersionSource, ctx: LoadContext, wanted: { classId: number; name: string }[]): Promise<void> {
    const missing = new Map<string, { classId: number; name: string }>();
    for (const w of wanted) {
      const k = `${w.classId}|${normalizeName(w.name)}`;
      if (!this.groups.has(k)) missing.set(k, { classId: w.classId, name: w.name.trim() });
    }
    if (missing.size === 0) return;
    // Same natural key as the roster's groups (src/domain/roster/classes.ts).
    const rows = [...missing.values()].map((g) => ({ nk: `${g.classId}|${g.name}`, attrs: { class_id: g.classId, name: g.name } }));
    const res = await upsertByNk(trx, versions, 'class_groups', rows, { source: ctx.instance.name, now: ctx.now, dryRun: ctx.dryRun });
    for (const [k, g] of missing) {
      const ref = res.refs.get(`${g.classId}|${g.name}`);
      this.groups.set(k, { id: ref?.id ?? --this.standIn, name: g.name });
    }
  }

  group(classId: number, name: string): { id: number; name: string } | undefined {
    return this.groups.get(`${classId}|${normalizeName(name)}`);
  }

  subjectId(s: LessonSubject): number | undefined {
    return this.subjectsByName.get(normalizeName(s.name))
      ?? (s.short ? this.subjectsByShort.get(normalizeName(s.short)) ?? this.subjectsByName.get(normalizeName(s.short)) : undefined)
      ?? this.subjectsByShort.get(normalizeName(s.name));
  }

  /** Creates the subjects not known yet; returns how many rows were written. */
  async ensureSubjects(trx: Knex.Transaction, versions: VersionSource, ctx: LoadContext, subjects: LessonSubject[]): Promise<number> {
    const missing = new Map<string, LessonSubject>();
    for (const s of subjects) if (this.subjectId(s) === undefined) missing.set(normalizeName(s.name), s);
    if (missing.size === 0) return 0;
    const rows = [...missing].map(([norm, s]) => ({
      nk: `${this.orgCode}|${norm}`,
      attrs: { organization_id: this.orgId, name: s.name.trim(), short_name: s.short?.trim() || null },
    }));
    const res = await upsertByNk(trx, versions, 'subjects', rows, { source: ctx.instance.name, now: ctx.now, dryRun: ctx.dryRun });
    for (const [norm, s] of missing) {
      const id = res.refs.get(`${this.orgCode}|${norm}`)?.id ?? --this.standIn;
      this.subjectsByName.set(norm, id);
      if (s.short) this.subjectsByShort.set(normalizeName(s.short), id);
    }
    return res.created + res.updated;
  }

  roomId(name: string): number | undefined {
    return this.rooms.get(normalizeName(name));
  }

  /** Creates the rooms not known yet; returns how many rows were written. */
  async ensureRooms(trx: Knex.Transaction, versions: VersionSource, ctx: LoadContext, names: string[]): Promise<number> {
    const missing = new Map<string, string>();
    for (const n of names) if (n.trim() !== '' && this.roomId(n) === undefined) missing.set(normalizeName(n), n.trim());
    if (missing.size === 0) return 0;
    const rows = [...missing].map(([norm, name]) => ({ nk: `${this.orgCode}|${norm}`, attrs: { organization_id: this.orgId, name } }));
    const res = await upsertByNk(trx, versions, 'rooms', rows, { source: ctx.instance.name, now: ctx.now, dryRun: ctx.dryRun });
    for (const norm of missing.keys()) {
      this.rooms.set(norm, res.refs.get(`${this.orgCode}|${norm}`)?.id ?? --this.standIn);
    }
    return res.created + res.updated;
  }
}

function canonicalClass(name: string): string | undefined {
  try {
    return parseClassName(name).name;
  } catch {
    return undefined;
  }
}

function push(m: Map<string, number[]>, k: string, v: number): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}
