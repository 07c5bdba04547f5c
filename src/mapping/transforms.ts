/** Named transforms that mapping files may list (`transform: [name]`). */
import { RecordRejected } from '../core/errors.ts';
import { normalizeName } from '../domain/person/names.ts';
import { parseSnils } from '../domain/person/snils.ts';
import { parseBirthDate } from '../domain/person/dates.ts';
import { normalizePhone, parseClassName } from '../domain/class-name.ts';
import { normalizeCard } from '../domain/access/card-number.ts';

export type Transform = (value: string, field: string) => string;

export const transforms: Record<string, Transform> = {
  trim: (v) => v.trim(),
  upper: (v) => v.toUpperCase(),
  lower: (v) => v.toLowerCase(),
  digits: (v) => v.replace(/\D/g, ''),
  name: (v) => normalizeName(v),
  snils: (v) => parseSnils(v).snils,
  phone: (v) => normalizePhone(v),
  class_name: (v) => parseClassName(v).name,
  /** DD.MM.YYYY or ISO; rejects impossible, future and implausibly old dates. */
  birth_date: (v) => parseBirthDate(v, new Date()),
  collapse_spaces: (v) => v.replace(/\s+/g, ' ').trim(),
  /** An access card as decimal, Wiegand-26 "series.number" or hex (0x… or with A–F) -> decimal. */
  card: (v, field) => normalizeCard(v, 'auto', field),
  /** An access card written in hex even when it has no A–F digits (Sigur CODEKEY) -> decimal. */
  card_hex: (v, field) => normalizeCard(v, 'hex', field),
};

export function runTransform(name: string, value: string, field: string): string {
  const t = transforms[name];
  if (!t) throw new RecordRejected('unknown_transform', `transform ${name} does not exist`, field);
  return t(value, field);
}
