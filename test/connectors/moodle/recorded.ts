/** The recorded Moodle answers in fixtures/moodle/, as the fake site replays them. */
import { readFileSync } from 'node:fs';

const read = new Map<string, unknown>();

/** A recorded answer, parsed once; callers copy it (`{ ...template, id }`), never change it. */
export function moodleFixture<T = unknown>(name: string): T {
  if (!read.has(name))
    read.set(name, JSON.parse(readFileSync(new URL(`../../../fixtures/moodle/${name}`, import.meta.url), 'utf8')));
  return read.get(name) as T;
}

/** An error answer (HTTP 200 with `exception`): the recorded body, with the detail a debugging site adds. */
export function moodleError(fixture: string, debuginfo?: string): Record<string, unknown> {
  return { ...moodleFixture<Record<string, unknown>>(`error-${fixture}.json`), ...(debuginfo ? { debuginfo } : {}) };
}
