/**
 * The GPU files of one run, recognised by name (GPU001.TXT, gpu014.txt, "2025_GPU002.TXT"):
 * Untis writes one file per table and the drop folder holds the set. Only the files a stream
 * needs are read; unrelated files (GPU010 students, ...) are left alone.
 */
import { basename } from 'node:path';
import type { Limits } from '../../src/core/contract.ts';
import { PermanentError } from '../../src/core/errors.ts';
import { decodeText, type SingleByteFallback } from '../../src/io/decode.ts';
import { readInputFile } from '../../src/io/read-input.ts';
import type { TimetableReject } from '../../src/domain/timetable/model.ts';
import { type GpuFormat, type GpuRow, readGpuRows } from './gpu-file.ts';

export interface GpuText {
  name: string;
  text: string;
}

export class GpuFiles {
  private readonly paths = new Map<number, string>();

  constructor(
    files: readonly string[],
    private readonly limits: Pick<Limits, 'maxFileBytes'>,
    private readonly fallback: SingleByteFallback | undefined,
    private readonly format: GpuFormat = {},
  ) {
    for (const path of files) {
      const m = /GPU(\d{3})/i.exec(basename(path));
      if (!m) continue;
      const n = Number(m[1]);
      const seen = this.paths.get(n);
      if (seen !== undefined) {
        throw new PermanentError(
          'duplicate_gpu_file',
          `two GPU${m[1]} files in one run: ${basename(seen)}, ${basename(path)}`,
        );
      }
      this.paths.set(n, path);
    }
  }

  has(n: number): boolean {
    return this.paths.has(n);
  }

  /** Throws `gpu_file_missing` for a required file, returns undefined for an optional one. */
  async read(n: number, required: true): Promise<GpuText>;
  async read(n: number, required: false): Promise<GpuText | undefined>;
  async read(n: number, required: boolean): Promise<GpuText | undefined> {
    const path = this.paths.get(n);
    const label = `GPU${String(n).padStart(3, '0')}`;
    if (path === undefined) {
      if (!required) return undefined;
      throw new PermanentError(
        'gpu_file_missing',
        `this stream needs ${label}.TXT, which is not among the run's files`,
      );
    }
    const buf = await readInputFile(path, this.limits);
    const { text } = decodeText(buf, this.fallback ? { fallback: this.fallback } : {});
    if (text.trim() === '') throw new PermanentError('empty_file', `${basename(path)} is empty`);
    return { name: basename(path), text };
  }

  /** The rows of GPU`n`; malformed rows go to `rejects` as `entity`. */
  async rows(n: number, rejects: TimetableReject[], entity: TimetableReject['entity']): Promise<GpuRow[]> {
    const file = await this.read(n, true);
    return readGpuRows(file.name, file.text, this.format, rejects, entity);
  }

  /** Like `rows`, but an absent optional file gives undefined. */
  async optionalRows(
    n: number,
    rejects: TimetableReject[],
    entity: TimetableReject['entity'],
  ): Promise<GpuRow[] | undefined> {
    return this.has(n) ? this.rows(n, rejects, entity) : undefined;
  }
}
