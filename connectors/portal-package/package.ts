/**
 * One package: a JSON Lines file per kind (lessons, marks, attendance, homework), `manifest.json`
 * with per-file counts, sizes and SHA-256, and `manifest.sig`, an HMAC-SHA256 of the manifest's
 * exact bytes. Assembled in a hidden `.partial` folder; published by a rename, so a reader never
 * sees half a package.
 */
import { createHash, createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ExportRow } from '../../src/core/contract.ts';

export const KINDS = ['lesson', 'mark', 'attendance', 'homework'] as const;
type Kind = (typeof KINDS)[number];
const FILE: Record<Kind, string> = { lesson: 'lessons.jsonl', mark: 'marks.jsonl', attendance: 'attendance.jsonl', homework: 'homework.jsonl' };

export interface FileEntry {
  name: string;
  records: number;
  upserts: number;
  deletes: number;
  bytes: number;
  sha256: string;
}

export interface Manifest {
  format: 'rso-hub/diary-changes';
  formatVersion: 1;
  package: string;
  instance: string;
  organization: string;
  createdAt: string;
  /** The change-version window of the package, inclusive: the next package starts at toChangeVersion + 1. */
  fromChangeVersion: number;
  toChangeVersion: number;
  files: FileEntry[];
  totals: { records: number; upserts: number; deletes: number; consentTombstones: number };
}

interface Open {
  entry: FileEntry;
  stream: fs.WriteStream;
  hash: ReturnType<typeof createHash>;
}

/** `<instance>-<from>-<to>` with zero-padded versions: folder listings sort in version order. */
export function packageName(instance: string, from: number, to: number): string {
  return `${instance}-${String(from).padStart(12, '0')}-${String(to).padStart(12, '0')}`;
}

export class PackageBuilder {
  private readonly files = new Map<Kind, Open>();
  private consentTombstones = 0;

  private constructor(readonly name: string, readonly dir: string) {}

  /** A fresh staging folder `<parent>/.<name>.partial` (a leftover of a crashed run is removed). */
  static open(parent: string, name: string): PackageBuilder {
    const dir = path.join(parent, `.${name}.partial`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const b = new PackageBuilder(name, dir);
    for (const k of KINDS) {
      b.files.set(k, { entry: { name: FILE[k], records: 0, upserts: 0, deletes: 0, bytes: 0, sha256: '' }, stream: fs.createWriteStream(path.join(dir, FILE[k])), hash: createHash('sha256') });
    }
    return b;
  }

  async add(row: ExportRow): Promise<void> {
    const kind = row.data.kind as Kind;
    const f = this.files.get(kind);
    if (!f) throw new Error(`unknown row kind ${String(kind)}`);
    const { kind: _k, changeVersion, key, data } = row.data as { kind: Kind; changeVersion: number; key: unknown; data?: unknown };
    const line = `${JSON.stringify(row.kind === 'upsert'
      ? { op: 'upsert', kind, id: row.publicId, changeVersion, key, data }
      : { op: 'delete', kind, id: row.publicId, changeVersion, reason: row.reason ?? 'deleted', key })}\n`;
    const bytes = Buffer.from(line, 'utf8');
    f.hash.update(bytes);
    f.entry.records++;
    f.entry.bytes += bytes.length;
    if (row.kind === 'upsert') f.entry.upserts++;
    else f.entry.deletes++;
    if (row.reason === 'consent_refused') this.consentTombstones++;
    if (!f.stream.write(bytes)) await new Promise<void>((resolve, reject) => f.stream.once('drain', resolve).once('error', reject));
  }

  /** Closes the files and writes manifest.json and manifest.sig. */
  async finish(meta: { instance: string; organization: string; from: number; to: number; createdAt: string; signingKey: string; keyId: string }): Promise<Manifest> {
    for (const f of this.files.values()) {
      await new Promise<void>((resolve, reject) => f.stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
      f.entry.sha256 = f.hash.digest('hex');
    }
    const files = [...this.files.values()].map((f) => f.entry);
    const manifest: Manifest = {
      format: 'rso-hub/diary-changes', formatVersion: 1, package: this.name, instance: meta.instance, organization: meta.organization,
      createdAt: meta.createdAt, fromChangeVersion: meta.from, toChangeVersion: meta.to, files,
      totals: {
        records: files.reduce((a, f) => a + f.records, 0), upserts: files.reduce((a, f) => a + f.upserts, 0),
        deletes: files.reduce((a, f) => a + f.deletes, 0), consentTombstones: this.consentTombstones,
      },
    };
    const bytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
    fs.writeFileSync(path.join(this.dir, 'manifest.json'), bytes);
    fs.writeFileSync(path.join(this.dir, 'manifest.sig'), `${JSON.stringify(signature(bytes, meta.signingKey, meta.keyId), null, 2)}\n`);
    return manifest;
  }

  /** Renames the staging folder to `<parent>/<name>`, replacing a package of the same window. */
  publish(parent: string): string {
    const final = path.join(parent, this.name);
    fs.rmSync(final, { recursive: true, force: true });
    fs.renameSync(this.dir, final);
    return final;
  }

  discard(): void {
    for (const f of this.files.values()) f.stream.destroy();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface Signature {
  algorithm: 'HMAC-SHA256';
  keyId: string;
  manifestSha256: string;
  signature: string;
}

export function signature(manifestBytes: Buffer, key: string, keyId: string): Signature {
  return {
    algorithm: 'HMAC-SHA256',
    keyId,
    manifestSha256: createHash('sha256').update(manifestBytes).digest('hex'),
    signature: createHmac('sha256', key).update(manifestBytes).digest('hex'),
  };
}
