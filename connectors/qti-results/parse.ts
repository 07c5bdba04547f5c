/**
 * One IMS QTI Results Reporting file (formats.md §4): an `assessmentResult` of one learner and one
 * test, QTI 2.1, 2.2 or 3.0. Results files of 3.0 tools keep the camelCase names of 2.x [3P]; the
 * kebab-case `qti-` names of 3.0 item files are accepted as well. The file comes from outside: no
 * DTD or entity is processed (billion laughs), a file declaring one is refused.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { PermanentError } from '../../src/core/errors.ts';

export interface QtiResult {
  /** From the namespace: `2.1`, `2.2`, `3.0`, or `unknown` for a file without one. */
  version: string;
  /** context@sourcedId: the learner. */
  learner: string;
  /** sessionIdentifier@identifier values, for the record's raw trail. */
  sessions: string[];
  /** testResult@identifier. */
  testId: string;
  /** testResult@datestamp as written (with or without an offset). */
  datestamp: string | undefined;
  /** Test-level outcome variables: identifier -> first value. */
  outcomes: Map<string, string>;
  /** sessionStatus of every itemResult (final, initial, pendingResponseProcessing, pendingSubmission). */
  itemStatuses: string[];
}

const NAMESPACE = /imsqti_result_v(\d)p(\d)/;

/** `qti-assessment-result` -> `assessmentResult`; `sourced-id` -> `sourcedId`; camelCase unchanged. */
const camel = (name: string): string => name.replace(/^qti-/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

const ARRAYS = new Set(['itemResult', 'outcomeVariable', 'value', 'sessionIdentifier']);

export function parseQtiResult(text: string): QtiResult {
  if (text.trim() === '') throw new PermanentError('empty_file', 'the file is empty');
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    throw new PermanentError('xml_entities_forbidden', 'the file declares a DOCTYPE or ENTITY; QTI results never need one, such files are refused');
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new PermanentError('malformed_xml', `not well-formed XML at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`);
  }
  const doc = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    removeNSPrefix: true,
    processEntities: false,
    parseTagValue: false,
    parseAttributeValue: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    transformTagName: camel,
    transformAttributeName: camel,
    isArray: (name) => ARRAYS.has(name),
  }).parse(text) as Record<string, unknown>;
  const root = obj(doc['assessmentResult']);
  if (!root) throw new PermanentError('not_qti_result', 'the root element is not assessmentResult: not a QTI results file');
  const ns = NAMESPACE.exec(text.slice(0, 4000));
  const context = obj(root['context']);
  const learner = str(context?.['@sourcedId']);
  if (!learner) throw new PermanentError('no_learner', 'context@sourcedId is missing: the result names no learner');
  const test = obj(root['testResult']);
  const testId = str(test?.['@identifier']);
  if (!test || !testId) throw new PermanentError('no_test_result', 'testResult@identifier is missing: the file holds no test result');
  const outcomes = new Map<string, string>();
  for (const v of list(test['outcomeVariable'])) {
    const id = str(v['@identifier']);
    if (id) outcomes.set(id, text0(list(v['value'])[0]));
  }
  return {
    version: ns ? `${ns[1]}.${ns[2]}` : 'unknown',
    learner: unescapeXml(learner),
    sessions: list(context?.['sessionIdentifier']).flatMap((s) => str(s['@identifier']) ?? []),
    testId: unescapeXml(testId),
    datestamp: str(test['@datestamp']),
    outcomes,
    itemStatuses: list(root['itemResult']).map((i) => str(i['@sessionStatus']) ?? 'final'),
  };
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function list(v: unknown): Record<string, unknown>[] {
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((x) => obj(x) ?? { '#text': x });
}

/** `<value>7</value>` parses to "7"; `<value baseType="float">7</value>` to {#text: "7"}. */
function text0(v: Record<string, unknown> | undefined): string {
  const t = v?.['#text'];
  return typeof t === 'string' || typeof t === 'number' ? String(t).trim() : '';
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The five predefined entities and character references, in one pass: nothing re-expands. */
function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (all, ref: string) => {
    if (!ref.startsWith('#')) return NAMED[ref] ?? all;
    const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : all;
  });
}
