/**
 * The organization tree and calendar inheritance: years, terms, holidays, bell periods and the
 * week-A anchor declared on an organization apply to its whole subtree unless redeclared below.
 */
import type { CalendarConfig, HubConfig, OrganizationConfig } from './schema.ts';
import { flattenOrgs } from './validate.ts';

export interface ResolvedOrganization {
  code: string;
  name: string;
  kind: OrganizationConfig['kind'];
  parent: string | undefined;
  /** This code first, then each ancestor up to the root. */
  chain: string[];
  timeZone: string;
  calendar: { years: NonNullable<CalendarConfig['years']>; bellPeriods: NonNullable<CalendarConfig['bellPeriods']>; weekA: string | undefined };
  config: OrganizationConfig;
}

export class OrgTree {
  readonly byCode = new Map<string, ResolvedOrganization>();

  constructor(hub: HubConfig) {
    for (const { org, chain } of flattenOrgs(hub.organizations)) {
      const parent = chain[1] ? this.byCode.get(chain[1]) : undefined;
      const cal = org.calendar;
      this.byCode.set(org.code, {
        code: org.code,
        name: org.name,
        kind: org.kind,
        parent: chain[1],
        chain,
        timeZone: org.timeZone ?? parent?.timeZone ?? hub.timeZone,
        calendar: {
          years: cal?.years ?? parent?.calendar.years ?? [],
          bellPeriods: cal?.bellPeriods ?? parent?.calendar.bellPeriods ?? [],
          weekA: cal?.weekA ?? parent?.calendar.weekA,
        },
        config: org,
      });
    }
  }

  get(code: string): ResolvedOrganization {
    const o = this.byCode.get(code);
    if (!o) throw new Error(`unknown organization ${code}`);
    return o;
  }

  /** Every organization in the subtree rooted at `code`, itself included. */
  subtree(code: string): ResolvedOrganization[] {
    return [...this.byCode.values()].filter((o) => o.chain.includes(code));
  }

  /** The academic year containing `date` (ISO), if any. */
  yearOf(code: string, date: string): { code: string; from: string; to: string } | undefined {
    return this.get(code).calendar.years.find((y) => y.from <= date && date <= y.to);
  }

  isHoliday(code: string, date: string): boolean {
    const y = this.yearOf(code, date);
    return !!y && (this.get(code).calendar.years.find((x) => x.code === y.code)?.holidays ?? []).some((h) => h.from <= date && date <= h.to);
  }
}

/** Today's date (ISO) in a time zone: "past" means before this (ARCHITECTURE.md). */
export function todayIn(zone: string, now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
