import { describe, expect, it } from 'vitest';
import {
  afterRetries,
  classifyMoodleException,
  interpretResponse,
  moodleExceptionSchema,
  parseRetryAfter,
  redact,
  retryBudget,
} from '../../../connectors/moodle/classify.ts';
import {
  PermanentError,
  RateLimitedError,
  RecordRejected,
  TransientError,
} from '../../../src/core/errors.ts';
import { fixture } from './fake-moodle.ts';

const fromFixture = (name: string) =>
  classifyMoodleException(moodleExceptionSchema.parse(fixture(name)), 'core_user_create_users');

const interpret = (status: number, body: string, retryAfter?: string) =>
  interpretResponse('fn', status, body, retryAfter, Date.parse('2025-01-15T10:00:00Z'));

describe('Moodle errors arrive as HTTP 200 and are classified by errorcode', () => {
  it('invalidtoken is a permanent configuration error with a clear hint', () => {
    const err = fromFixture('error-invalidtoken.json');
    expect(err).toBeInstanceOf(PermanentError);
    expect(err.code).toBe('moodle_invalid_token');
    expect(err.message).toMatch(/token/);
  });

  it('accessexception is permanent and names the likely causes', () => {
    const err = fromFixture('error-accessexception.json');
    expect(err).toBeInstanceOf(PermanentError);
    expect(err.code).toBe('moodle_access_denied');
    expect(err.message).toMatch(/external service/);
  });

  it('sitemaintenance is transient', () => {
    const err = fromFixture('error-sitemaintenance.json');
    expect(err).toBeInstanceOf(TransientError);
    expect(err.code).toBe('moodle_site_maintenance');
  });

  it.each([
    ['error-invalidparameter.json', 'moodle_invalid_parameter'],
    ['error-shortnametaken.json', 'moodle_shortname_taken'],
  ])('%s rejects the record', (name, code) => {
    const err = fromFixture(name);
    expect(err).toBeInstanceOf(RecordRejected);
    expect(err.code).toBe(code);
  });

  it('keeps debuginfo (the offending value) in a rejection, shortened', () => {
    const err = classifyMoodleException(
      {
        exception: 'invalid_parameter_exception',
        errorcode: 'invalidparameter',
        message: 'Invalid parameter value detected',
        debuginfo: `Username already exists: petrov.artem ${'x'.repeat(400)}`,
      },
      'core_user_create_users',
    );
    expect(err.message).toMatch(/Username already exists: petrov.artem/);
    expect(err.message.length).toBeLessThan(450);
  });

  it('an unknown errorcode fails loudly rather than being guessed', () => {
    const err = classifyMoodleException(
      { exception: 'coding_exception', errorcode: 'codingerror', message: 'x' },
      'fn',
    );
    expect(err).toBeInstanceOf(PermanentError);
    expect(err.message).toMatch(/codingerror/);
  });

  it('DB errors get one retry; a repeated write failure becomes a rejection', () => {
    const err = classifyMoodleException(
      {
        exception: 'dml_write_exception',
        errorcode: 'dmlwriteexception',
        message: 'Error writing',
      },
      'fn',
    );
    expect(err).toBeInstanceOf(TransientError);
    expect(retryBudget(err, 5)).toBe(1);
    expect(afterRetries(err)).toBeInstanceOf(RecordRejected);
  });
});

describe('HTTP answers', () => {
  it('an empty 200 body is a configuration error', () => {
    expect(() => interpret(200, '')).toThrow(
      expect.objectContaining({ code: 'moodle_empty_response', kind: 'permanent' }),
    );
  });

  it('5xx and non-JSON pages are transient', () => {
    expect(() => interpret(503, 'busy')).toThrow(TransientError);
    expect(() => interpret(200, '<html>Fatal error</html>')).toThrow(
      expect.objectContaining({ code: 'moodle_non_json_response' }),
    );
  });

  it('429 is rate limited and carries Retry-After', () => {
    try {
      interpret(429, '', '7');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(RateLimitedError);
      expect((err as RateLimitedError).retryAfterMs).toBe(7000);
    }
  });

  it('a redirect or a 404 means a wrong baseUrl', () => {
    expect(() => interpret(301, '')).toThrow(expect.objectContaining({ code: 'moodle_redirect' }));
    expect(() => interpret(404, '')).toThrow(expect.objectContaining({ code: 'moodle_http_404' }));
  });

  it('a JSON success body is returned as is, including the literal null', () => {
    expect(interpret(200, 'null')).toBeNull();
    expect(interpret(200, '[{"id":1,"username":"a"}]')).toEqual([{ id: 1, username: 'a' }]);
  });

  it('parses Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2025-01-15T10:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Wed, 15 Jan 2025 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('redaction', () => {
  it('removes the token and any wstoken= pair', () => {
    expect(redact('url?wstoken=abc123&x=1 and abc123 again', ['abc123'])).toBe(
      'url?wstoken=[redacted]&x=1 and [redacted] again',
    );
  });
});
