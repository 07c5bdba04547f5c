/**
 * The OpenAPI 3.0 document of the portal API, served at /api/v1/openapi.json. Parameters are
 * generated from the same zod schemas the routes parse with, so the document cannot promise a
 * parameter the API refuses; answers refer to openapi-schemas.ts.
 */
import { z } from 'zod';
import { API_ERROR_CODES } from '../errors.ts';
import { componentSchemas } from './openapi-schemas.ts';

type Op = { summary: string; description?: string; scope: string; params?: unknown[]; body?: unknown; ok: string; errors: number[]; okMedia?: string };

/** OpenAPI parameters from a zod object schema (query or path). */
export function paramsFrom(schema: z.ZodObject, where: 'query' | 'path', descriptions: Record<string, string> = {}): unknown[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' }) as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name, in: where, required: where === 'path' || (json.required ?? []).includes(name), schema: s,
    ...(descriptions[name] ? { description: descriptions[name] } : {}),
  }));
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function operation(op: Op) {
  const errors = Object.fromEntries(op.errors.map((status) => [String(status), {
    description: Object.entries(API_ERROR_CODES).filter(([, v]) => v.status === status).map(([k, v]) => `\`${k}\`: ${v.meaning}`).join('; '),
    content: { 'application/json': { schema: ref(op.ok === 'MySchoolSchedule' ? 'OperationOutcome' : 'Error') } },
  }]));
  return {
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    security: [{ clientCredentials: [op.scope] }],
    ...(op.params?.length ? { parameters: op.params } : {}),
    ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: op.body } } } } : {}),
    responses: { 200: { description: 'OK', content: { [op.okMedia ?? 'application/json']: { schema: ref(op.ok) } } }, ...errors },
  };
}

export interface OpenApiInputs {
  studentPath: z.ZodObject;
  windowQuery: z.ZodObject;
  changesQuery: z.ZodObject;
  schedulePath: z.ZodObject;
  scheduleQuery: z.ZodObject;
}

export function openApiDocument(i: OpenApiInputs): Record<string, unknown> {
  const student = paramsFrom(i.studentPath, 'path', { id: 'the student\'s public id (UUID); never a СНИЛС or a name' });
  const window = paramsFrom(i.windowQuery, 'query', { from: 'first day (YYYY-MM-DD)', to: 'last day, inclusive' });
  const common = [400, 401, 403, 404, 429];
  return {
    openapi: '3.0.3',
    info: {
      title: 'rso-hub portal API',
      version: '1',
      description: 'The electronic diary of a regional school system for state-services portals: OAuth 2.0 client credentials ' +
        '(POST /oauth/token), scopes by resource and organization subtree, consent per purpose, every read audited. ' +
        'Errors are `{error: {code, message, requestId, field?}}` with stable codes.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        clientCredentials: {
          type: 'oauth2',
          flows: { clientCredentials: { tokenUrl: '/oauth/token', scopes: { 'diary:read': 'students\' diaries and records', 'changes:read': 'the change feed', 'myschool:read': 'the «Моя школа» schedule' } } },
        },
      },
      schemas: componentSchemas,
    },
    paths: {
      '/api/v1/students/{id}/diary': { get: operation({ summary: 'A student\'s diary: days -> lessons -> marks, attendance, homework', description: 'A week by default (Monday to Sunday); at most 31 days.', scope: 'diary:read', params: [...student, ...window], ok: 'Diary', errors: common }) },
      '/api/v1/students/{id}/marks': { get: operation({ summary: 'Current marks', description: 'The last 30 days by default; at most 366 days.', scope: 'diary:read', params: [...student, ...window], ok: 'Marks', errors: common }) },
      '/api/v1/students/{id}/attendance': { get: operation({ summary: 'Attendance that stands after precedence (per lesson and per day)', scope: 'diary:read', params: [...student, ...window], ok: 'AttendanceList', errors: common }) },
      '/api/v1/students/{id}/timetable': { get: operation({ summary: 'Dated lessons of the student\'s classes and subgroups', scope: 'diary:read', params: [...student, ...window], ok: 'Timetable', errors: common }) },
      '/api/v1/students/{id}/period-marks': { get: operation({ summary: 'Term and year marks', scope: 'diary:read', params: student, ok: 'PeriodMarks', errors: common }) },
      '/api/v1/students/search': {
        post: operation({
          summary: 'A student\'s public id by СНИЛС', description: 'In the body, so personal data never reaches a URL or an access log. Unknown and out-of-scope students both answer an empty list.',
          scope: 'diary:read', body: { type: 'object', additionalProperties: false, required: ['snils'], properties: { snils: { type: 'string', example: '112-233-445 95' } } }, ok: 'SearchResult', errors: [400, 401, 403, 413, 415, 429],
        }),
      },
      '/api/v1/changes/available': { get: operation({ summary: 'Oldest and newest change version (Ed-Fi availableChangeVersions)', scope: 'changes:read', ok: 'AvailableChangeVersions', errors: [400, 401, 403, 429] }) },
      '/api/v1/changes': {
        get: operation({
          summary: 'Lessons, marks, attendance and homework changed in a version window',
          description: 'Keyset paging: repeat with minChangeVersion = nextMinChangeVersion while hasMore. Deletes come as tombstones with natural keys; ' +
            'a student who refuses the client\'s purpose gets tombstones (reason consent_refused) for everything sent before and nothing after.',
          scope: 'changes:read', params: paramsFrom(i.changesQuery, 'query', { minChangeVersion: 'first version, inclusive (default 0)', maxChangeVersion: 'last version, inclusive (default: the committed watermark)', limit: 'rows per table and page (default 500)' }),
          ok: 'ChangesPage', errors: [400, 401, 403, 429],
        }),
      },
      '/myschool/Schedule/{esiaId}': {
        get: operation({
          summary: '«Моя школа»: schedule and journal of a pupil or teacher by ЕСИА id',
          description: 'The federal contract\'s shape (school -> class -> lesson); `start` and `end` together, by default the previous, current and next week. Errors are FHIR OperationOutcomes.',
          scope: 'myschool:read', params: [...paramsFrom(i.schedulePath, 'path'), ...paramsFrom(i.scheduleQuery, 'query')], ok: 'MySchoolSchedule', errors: common,
        }),
      },
    },
  };
}
