/**
 * School turnstiles and access control («Школьное окно»): passes pushed by controllers in real
 * time (POST /ingest/<instance>, signed per device) and event logs exported by PERCo-, Sigur- and
 * ZKTeco-style systems (CSV/XLSX, attlog), plus the card register that ties cards to persons.
 * See README.md for the push protocol, files, columns and configuration.
 */
import { defineConnector } from '../../src/core/contract.ts';
import { PermanentError } from '../../src/core/errors.ts';
import { STREAMS, turnstileConfig, type TurnstileConfig, type TurnstileStream } from './config.ts';
import { inputsFor } from './files.ts';
import { parsePush } from './push.ts';
import { readInputs } from './read.ts';
import { verifySignature } from './signature.ts';

export default defineConnector<TurnstileConfig>({
  id: 'turnstile',
  version: '1.0.0',
  description: 'Turnstile passes (signed pushes from controllers, PERCo/Sigur/ZKTeco event logs) and the card register',
  configSchema: turnstileConfig,
  streams: [
    { name: 'cards', primaryKey: ['card'], kind: 'snapshot', onMissing: 'soft_delete' },
    // Passes only add: a log overlapping an earlier one, or a push of the same pass, is deduplicated.
    { name: 'events', primaryKey: ['card', 'time', 'direction'], kind: 'events', dependsOn: ['cards'] },
  ],
  // Pushes and drop-folder files: there is no outside system to reach.
  check: async () => {},
  async *read(stream, config, ctx) {
    if (!(STREAMS as readonly string[]).includes(stream)) throw new PermanentError('unknown_stream', `turnstile has no stream "${stream}"`);
    const inputs = await inputsFor(stream as TurnstileStream, ctx.files, config, ctx.limits);
    if (inputs.length === 0) return;
    yield* readInputs(stream as TurnstileStream, inputs, config, ctx);
  },
  ingest: {
    verify: (request, config) => verifySignature(request, config.replayWindowSeconds),
    parse: (body) => parsePush(body),
  },
});
