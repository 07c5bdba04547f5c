/**
 * The benchmark's API node, in its own process as in the grown setup: the app of build() listening
 * on 127.0.0.1 without a queue (workers elsewhere take the runs), the hub's clock set to the
 * benchmark day. It times each answer inside the server too, to tell its own time from the
 * machine's (client-side latency minus this is queueing in the OS and the network stack).
 *   tsx bench/turnstile/server.ts <hub.yaml> <clock offset ms>
 * Prints `listening <url>` once ready; on SIGTERM prints `cpu <ms>` and `server <p50> <p99>` (ms).
 */
import { build } from '../../src/api/app.ts';
import { createLogger } from '../../src/log.ts';
import { createRuntime } from '../../src/runtime.ts';

const [configFile, offset] = process.argv.slice(2);
const offsetMs = Number(offset ?? 0);
const rt = await createRuntime({ configFile: configFile!, log: createLogger({ level: 'error' }), prepare: false, now: () => new Date(Date.now() - offsetMs) });
const app = await build({ rt });
const times: number[] = [];
app.addHook('onResponse', async (_req, reply) => {
  times.push(reply.elapsedTime);
});
await app.listen({ port: 0, host: '127.0.0.1' });
const addr = app.server.address();
process.stdout.write(`listening http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}\n`);
const start = process.cpuUsage();
process.on('SIGTERM', () => {
  const used = process.cpuUsage(start);
  const sorted = times.sort((a, b) => a - b);
  const at = (q: number) => (sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN).toFixed(1);
  process.stdout.write(`cpu ${Math.round((used.user + used.system) / 1000)}\nserver ${at(0.5)} ${at(0.99)}\n`);
  void app.close().then(() => rt.close()).then(() => process.exit(0));
});
