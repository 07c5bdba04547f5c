/**
 * A small structured logger. Secrets never reach logs: fields named like secrets are masked, and
 * every registered secret value (tokens, passwords from the config) is replaced wherever it appears.
 */
import type { Logger } from './core/contract.ts';

const secretKey = /token|secret|password|passwd|authorization|signature|api[_-]?key/i;
const secrets = new Set<string>();

export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) secrets.add(value);
}

export function redact(text: string): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('***');
  return out.replace(/(\/\/[^:/@\s]+:)[^@\s]+@/g, '$1***@');
}

function scrub(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    out[k] = secretKey.test(k) ? '***' : typeof v === 'string' ? redact(v) : v;
  }
  return out;
}

const levels = { debug: 10, info: 20, warn: 30, error: 40 } as const;
export type Level = keyof typeof levels;

export function createLogger(opts: { level?: Level; json?: boolean; write?: (line: string) => void } = {}): Logger {
  const min = levels[opts.level ?? (process.env.HUB_LOG_LEVEL as Level | undefined) ?? 'info'] ?? 20;
  const write = opts.write ?? ((l: string) => process.stderr.write(`${l}\n`));
  const emit = (level: Level, msg: string, fields: Record<string, unknown> = {}) => {
    if (levels[level] < min) return;
    const f = scrub(fields);
    if (opts.json) write(JSON.stringify({ t: new Date().toISOString(), level, msg: redact(msg), ...f }));
    else write(`${level.padEnd(5)} ${redact(msg)}${Object.keys(f).length ? ` ${JSON.stringify(f)}` : ''}`);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
