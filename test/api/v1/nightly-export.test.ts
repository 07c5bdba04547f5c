import { createHash, createHmac } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { register as registerRun } from '../../../src/cli/commands/run.ts';
import { runNow } from '../../../src/pipeline/execute.ts';
import { testHub, type TestHub } from '../helpers.ts';
import { sorted, sourceState, type Copy } from './feed-replay.ts';
import { buildWorld, type World } from './world.ts';

const KEY = 'n'.repeat(40);
let hub: TestHub;
let w: World;
let out: string;
let port = 0;
let server: http.Server | undefined;
const received = new Map<string, Buffer>();
let failWith = 0;

function instances(folder: string, url: string): string {
  return `
consent: { unknownMeans: { diary_portal: refused } }
instances:
  - name: portal-night
    connector: portal-package
    organization: sch-1
    purpose: diary_portal
    config: { folder: "${folder}", signingKey: "${KEY}", keyId: k1 }
  - name: portal-push
    connector: portal-package
    organization: obr
    purpose: diary_portal
    config: { url: "${url}", signingKey: "${KEY}", headers: { authorization: "Bearer receiver" } }
`;
}

beforeEach(async () => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'rso-portal-out-'));
  received.clear();
  failWith = 0;
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (failWith) return void res.writeHead(failWith).end();
      if (req.method !== 'PUT' || req.headers.authorization !== 'Bearer receiver') return void res.writeHead(403).end();
      received.set(req.url ?? '', Buffer.concat(chunks));
      res.writeHead(201).end();
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
  hub = await testHub({ extraYaml: instances(path.join(out, 'portal'), `http://127.0.0.1:${port}/incoming`) });
  w = await buildWorld(hub);
});
afterEach(async () => {
  await new Promise((r) => server?.close(r));
  await hub.cleanup();
  fs.rmSync(out, { recursive: true, force: true });
});

interface Line { op: string; kind: string; id: string; changeVersion: number; reason?: string; key: Record<string, unknown>; data?: Record<string, unknown> }

/** Reads a published package, checking every SHA-256 and the signature on the way. */
function readPackage(dir: string): { manifest: Record<string, unknown> & { files: { name: string; records: number; sha256: string; bytes: number }[]; fromChangeVersion: number; toChangeVersion: number; totals: Record<string, number> }; lines: Line[] } {
  const manifestBytes = fs.readFileSync(path.join(dir, 'manifest.json'));
  const sig = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.sig'), 'utf8'));
  expect(sig).toMatchObject({ algorithm: 'HMAC-SHA256', signature: createHmac('sha256', KEY).update(manifestBytes).digest('hex'), manifestSha256: createHash('sha256').update(manifestBytes).digest('hex') });
  const manifest = JSON.parse(manifestBytes.toString('utf8'));
  const lines: Line[] = [];
  for (const f of manifest.files) {
    const bytes = fs.readFileSync(path.join(dir, f.name));
    expect(createHash('sha256').update(bytes).digest('hex'), f.name).toBe(f.sha256);
    expect(bytes.length).toBe(f.bytes);
    const rows = bytes.toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
    expect(rows.length, f.name).toBe(f.records);
    lines.push(...rows);
  }
  return { manifest, lines };
}

function apply(copy: Copy, lines: Line[]): void {
  for (const l of [...lines].sort((a, b) => a.changeVersion - b.changeVersion)) {
    if (l.op === 'upsert') copy.set(`${l.kind}:${l.id}`, l.data!);
    else copy.delete(`${l.kind}:${l.id}`);
  }
}

const packages = () => fs.readdirSync(path.join(out, 'portal')).sort();

describe('the nightly portal package', () => {
  it('writes the changes since the last run as JSON lines with a signed manifest; a re-run exports nothing', async () => {
    const first = await runNow(hub.rt, { instance: 'portal-night' });
    expect(first.status).toBe('succeeded');
    expect(packages()).toHaveLength(1);
    const p1 = readPackage(path.join(out, 'portal', packages()[0]!));
    expect(p1.manifest).toMatchObject({ format: 'rso-hub/diary-changes', instance: 'portal-night', organization: 'sch-1', fromChangeVersion: 1 });
    expect(p1.manifest.files.map((f) => f.name)).toEqual(['lessons.jsonl', 'marks.jsonl', 'attendance.jsonl', 'homework.jsonl']);
    expect(first.streams.diary_changes).toMatchObject({ read: p1.lines.length, sent: p1.lines.length });
    // Дарья refused and Борис never answered (unknown means refused here): withheld, counted.
    expect(first.streams.diary_changes!.withheld).toBe(2);
    const copy: Copy = new Map();
    apply(copy, p1.lines);
    expect(sorted(copy)).toEqual(sorted(await sourceState(hub.rt.db, ['sch-1'], 'diary_portal', 'refused')));

    const again = await runNow(hub.rt, { instance: 'portal-night' });
    expect(again.streams.diary_changes).toMatchObject({ read: 0, sent: 0 });
    expect(packages()).toHaveLength(1);

    // The next night: a corrected mark and a refusal.
    await w.seed.mark({ student: w.anna, org: 'sch-1', date: '2026-10-05', lesson: w.l2g1, subject: w.english, value: '5' });
    await w.seed.consent(w.boris, 'diary_portal', 'granted');
    await w.seed.consent(w.anna, 'diary_portal', 'refused', '2026-10-01');
    const third = await runNow(hub.rt, { instance: 'portal-night' });
    expect(third.status).toBe('succeeded');
    expect(packages()).toHaveLength(2);
    const p2 = readPackage(path.join(out, 'portal', packages()[1]!));
    expect(p2.manifest.fromChangeVersion).toBe(p1.manifest.toChangeVersion + 1);
    expect(p2.manifest.totals.consentTombstones).toBe(8); // her 3 marks and 5 attendance rows
    expect(p2.lines.filter((l) => l.reason === 'consent_refused').every((l) => l.key.studentId === w.anna.uid)).toBe(true);
    expect(p2.lines.some((l) => l.op === 'upsert' && l.data?.studentId === w.boris.uid)).toBe(true);
    apply(copy, p2.lines);
    expect(sorted(copy)).toEqual(sorted(await sourceState(hub.rt.db, ['sch-1'], 'diary_portal', 'refused')));

    const audited = await hub.rt.db('audit_log').where({ client_id: 'export:portal-night' }).select('person_id', 'result');
    expect(audited).toContainEqual({ person_id: w.darya.id, result: 'withheld' });
    expect(audited).toContainEqual({ person_id: w.boris.id, result: 'ok' });
  });

  it('runs from the command line: rso-hub run <instance>', async () => {
    const program = new Command('rso-hub').option('-c, --config <file>').exitOverride();
    registerRun(program);
    let text = '';
    const so = vi.spyOn(process.stdout, 'write').mockImplementation((c) => ((text += String(c)), true));
    try {
      await program.parseAsync(['node', 'rso-hub', '--config', path.join(hub.dir, 'hub.yaml'), 'run', 'portal-night', '--json']);
    } finally {
      so.mockRestore();
    }
    const summary = JSON.parse(text);
    expect(summary).toMatchObject({ instance: 'portal-night', status: 'succeeded' });
    expect(summary.streams.diary_changes.sent).toBeGreaterThan(0);
    expect(packages()).toHaveLength(1);
  });

  it('delivers to an HTTP endpoint, and a failed delivery is retried from the same version', async () => {
    failWith = 503;
    await expect(runNow(hub.rt, { instance: 'portal-push' })).rejects.toThrow(/503/);
    expect(await hub.rt.db('export_cursors').where({ instance: 'portal-push' }).first()).toBeUndefined();
    failWith = 0;
    const ok = await runNow(hub.rt, { instance: 'portal-push' });
    expect(ok.status).toBe('succeeded');
    const urls = [...received.keys()];
    expect(urls.at(-1)).toMatch(/^\/incoming\/portal-push-000000000001-\d{12}\/manifest\.sig$/);
    const manifest = JSON.parse(received.get(urls.at(-2)!)!.toString());
    expect(manifest.fromChangeVersion).toBe(1);
    for (const f of manifest.files) expect(createHash('sha256').update(received.get(urls.find((u) => u.endsWith(f.name))!)!).digest('hex')).toBe(f.sha256);
    // Вера (sch-2) is in this instance's municipality scope but never consented: withheld.
    expect(ok.streams.diary_changes!.withheld).toBeGreaterThan(0);
    const cursor = await hub.rt.db('export_cursors').where({ instance: 'portal-push' }).first('change_version');
    expect(Number(cursor.change_version)).toBe(manifest.toChangeVersion);
  });

  it('counts without writing on --dry-run', async () => {
    const dry = await runNow(hub.rt, { instance: 'portal-night', dryRun: true });
    expect(dry.streams.diary_changes!.read).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(out, 'portal')) ? packages() : []).toEqual([]);
    expect(await hub.rt.db('export_cursors').where({ instance: 'portal-night' }).first()).toBeUndefined();
  });
});
