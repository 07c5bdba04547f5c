/**
 * JSON Schema (draft-07, what fastify's ajv speaks) of the «Моя школа» Schedule and of its
 * OperationOutcome errors, written from reference/portal-contract.md: required where the contract
 * has no `?`, nothing beyond the contract's fields. Served in /api/v1/openapi.json and used by the
 * tests to validate real answers.
 */
const offsetDateTime = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}[+-]\\d{2}:\\d{2}$' };
const instant = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?(Z|[+-]\\d{2}:\\d{2})$' };
const uuid = { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' };
const period = { type: 'object', additionalProperties: false, required: ['start', 'end'], properties: { start: offsetDateTime, end: offsetDateTime } };
const text = { type: 'string', minLength: 1 };

export const scheduleScoreSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['code', 'score', 'scoreSystem'],
  properties: {
    code: text,
    weight: { type: 'number', minimum: 0 },
    score: text,
    score2: text,
    scoreSystem: text,
  },
} as const;

export const scheduleLessonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'subject', 'period', 'classroom', 'score'],
  properties: {
    id: uuid,
    subject: { type: 'string' },
    insteadOf: text,
    topic: text,
    homework: text,
    period,
    classroom: { type: 'string' },
    distant: { type: 'boolean' },
    note: text,
    attendance: { type: 'object', additionalProperties: false, required: ['code'], properties: { code: { type: 'string', pattern: '^[а-яё/]{1,4}$' } } },
    score: { type: 'array', items: scheduleScoreSchema },
  },
} as const;

export const scheduleSchema = {
  $id: 'MySchoolSchedule',
  type: 'object',
  additionalProperties: false,
  required: ['resourceType', 'id', 'meta', 'school'],
  properties: {
    resourceType: { const: 'Schedule' },
    id: { type: 'string', pattern: '^\\d{1,20}$' },
    meta: { type: 'object', additionalProperties: false, required: ['lastUpdated'], properties: { lastUpdated: instant } },
    school: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'name', 'scheduleUrl', 'period', 'academYear', 'class'],
        properties: {
          id: uuid,
          name: text,
          scheduleUrl: { type: 'string', pattern: '^https?://' },
          period,
          academYear: { type: 'string', pattern: '^\\d{4}/\\d{2}$' },
          distantUrl: { type: 'string', pattern: '^https?://' },
          class: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['class', 'grade', 'lesson'],
              properties: { class: text, grade: { type: 'string', pattern: '^(1[01]|[1-9])?$' }, lesson: { type: 'array', items: scheduleLessonSchema } },
            },
          },
        },
      },
    },
  },
} as const;

export const operationOutcomeSchema = {
  $id: 'OperationOutcome',
  type: 'object',
  additionalProperties: false,
  required: ['resourceType', 'id', 'issue'],
  properties: {
    resourceType: { const: 'OperationOutcome' },
    id: text,
    issue: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['severity', 'code', 'details'],
        properties: {
          severity: { enum: ['fatal', 'error', 'warning', 'information'] },
          code: { type: 'string', pattern: '^[a-z-]+$' },
          details: {
            type: 'object',
            additionalProperties: false,
            required: ['text'],
            properties: {
              text: text,
              coding: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['system', 'code'], properties: { system: text, code: text } } },
            },
          },
          expression: { type: 'array', items: text },
        },
      },
    },
  },
} as const;
