/**
 * School roster files: students, guardians, staff and consents, as a school's own software or a
 * regional office exports them (CSV in any of the encodings Russian Excel writes, or .xlsx).
 * See README.md for files, columns and configuration.
 */
import { defineConnector } from '../../src/core/contract.ts';
import { PermanentError } from '../../src/core/errors.ts';
import { rosterConfig, STREAMS, type RosterConfig, type RosterState, type RosterStream } from './config.ts';
import { inputsFor } from './inputs.ts';
import { readInputs } from './read.ts';

export default defineConnector<RosterConfig, RosterState>({
  id: 'roster',
  version: '1.0.0',
  description: 'School roster files (students, guardians, staff, consents) from CSV or .xlsx exports',
  configSchema: rosterConfig,
  streams: [
    { name: 'students', primaryKey: ['Код'], kind: 'snapshot', onMissing: 'close_enrollment' },
    {
      name: 'guardians',
      primaryKey: ['Код', 'Код ученика'],
      kind: 'snapshot',
      onMissing: 'soft_delete',
      dependsOn: ['students'],
    },
    { name: 'staff', primaryKey: ['Код'], kind: 'snapshot', onMissing: 'soft_delete' },
    { name: 'consents', primaryKey: ['Код', 'Цель'], kind: 'events', dependsOn: ['students', 'guardians'] },
  ],
  // Files arrive in the drop folder; there is no outside system to reach, the schema says the rest.
  check: async () => {},
  async *read(stream, config, ctx) {
    if (!isStream(stream)) throw new PermanentError('unknown_stream', `roster has no stream "${stream}"`);
    const inputs = await inputsFor(stream, ctx.files, config, ctx.limits);
    if (inputs.length === 0) {
      ctx.log.info('roster: no input file for this stream', { stream, files: ctx.files.length });
      return;
    }
    yield* readInputs(stream, inputs, config, ctx);
  },
});

function isStream(s: string): s is RosterStream {
  return (STREAMS as readonly string[]).includes(s);
}
