/**
 * Compiles a validated mapping spec into a function from a raw record to a target record.
 * A failing field throws RecordRejected naming the target field and the source column.
 */
import { RecordRejected } from '../core/errors.ts';
import type { FieldSpec, MappingSpec } from './spec.ts';
import { applyCast } from './casts.ts';
import { runTransform } from './transforms.ts';

export type Mapped = Record<string, unknown>;
export interface CompiledMapping {
  target: string;
  /** Fields whose value is an external id to resolve through the crosswalk: field -> lookup name. */
  lookups: Record<string, string>;
  map(raw: Record<string, unknown>, orgZone: string): Mapped;
}

function sourceValue(raw: Record<string, unknown>, f: FieldSpec): { value: unknown; column: string | undefined } {
  if (f.from === undefined) return { value: f.value, column: undefined };
  const cols = Array.isArray(f.from) ? f.from : [f.from];
  for (const c of cols) {
    const v = raw[c];
    if (v !== undefined && v !== null && !(typeof v === 'string' && v.trim() === '')) return { value: v, column: c };
  }
  return { value: undefined, column: cols[0] };
}

function mapField(name: string, f: FieldSpec, raw: Record<string, unknown>, zone: string): unknown {
  const { value, column } = sourceValue(raw, f);
  const where = column ? `${name} (column "${column}")` : name;
  if (value === undefined) {
    if (f.default !== undefined) return f.default;
    if (f.required) throw new RecordRejected('required', `${where} is required but empty`, name);
    return null;
  }
  if (typeof value !== 'string') return value;
  let v = value.trim();
  try {
    for (const t of f.transform ?? []) v = runTransform(t, v, name);
    if (f.map) {
      const key = Object.keys(f.map).find((k) => k.trim().toLowerCase() === v.toLowerCase());
      if (key !== undefined) return f.map[key];
      if (f.unmapped !== 'keep') {
        throw new RecordRejected('unmapped_value', `"${v}" is not one of ${Object.keys(f.map).map((k) => `"${k}"`).join(', ')}`, name);
      }
    }
    if (f.cast) return applyCast(v, f.cast, name, zone);
    return v;
  } catch (err) {
    if (err instanceof RecordRejected) {
      throw new RecordRejected(err.code, `${where}: ${err.message}`, name, { cause: err });
    }
    throw err;
  }
}

export function compileMapping(spec: MappingSpec): CompiledMapping {
  const entries = Object.entries(spec.fields);
  const lookups: Record<string, string> = {};
  for (const [name, f] of entries) if (f.lookup) lookups[name] = f.lookup;
  return {
    target: spec.target,
    lookups,
    map(raw, orgZone) {
      const out: Mapped = {};
      for (const [name, f] of entries) out[name] = mapField(name, f, raw, orgZone);
      return out;
    },
  };
}
