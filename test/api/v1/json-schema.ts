/**
 * JSON Schema validation in tests with fastify's own ajv (no new dependency): a throwaway app
 * whose one route validates its body against the schema; the answer lists ajv's errors.
 * OpenAPI 3.0 component schemas are turned into plain JSON Schema first (nullable, $ref).
 */
import Fastify from 'fastify';

type Json = Record<string, unknown>;

/** OpenAPI 3.0 `nullable` and `#/components/schemas/X` -> draft-07 `anyOf null` and `#/definitions/X`. */
export function fromOpenApi(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(fromOpenApi);
  if (!schema || typeof schema !== 'object') return schema;
  const s = schema as Json;
  const out: Json = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === 'nullable' || k === 'example' || k === 'format') continue;
    out[k] = k === '$ref' && typeof v === 'string' ? v.replace('#/components/schemas/', '#/definitions/') : fromOpenApi(v);
  }
  return s.nullable === true ? { anyOf: [out, { type: 'null' }] } : out;
}

export interface Validator {
  (value: unknown): Promise<string[]>;
  close(): Promise<void>;
}

export async function validator(schema: unknown, definitions: Record<string, unknown> = {}): Promise<Validator> {
  const app = Fastify({ ajv: { customOptions: { allErrors: true, removeAdditional: false, coerceTypes: false, useDefaults: false } } });
  const { $id: _id, ...rest } = schema as Json;
  const body = { ...rest, definitions: Object.fromEntries(Object.entries(definitions).map(([k, v]) => [k, fromOpenApi(v)])) };
  app.post('/validate', { schema: { body }, attachValidation: true }, async (request) =>
    (request.validationError?.validation ?? []).map((e: { instancePath?: string; message?: string; params?: unknown }) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`));
  await app.ready();
  const validate = (async (value: unknown) => {
    const res = await app.inject({ method: 'POST', url: '/validate', payload: JSON.stringify(value), headers: { 'content-type': 'application/json' } });
    return res.json() as string[];
  }) as Validator;
  validate.close = () => app.close();
  return validate;
}
