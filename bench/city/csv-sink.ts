/**
 * A streaming CSV writer for benchmark files in the hub's roster convention: UTF-8 without BOM,
 * `;` separator, CRLF line ends, quotes only where a field needs them. Rows are batched into
 * ~64 KB chunks and the writer waits for 'drain' when the stream asks it to (backpressure).
 */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { finished } from 'node:stream/promises';

const NEEDS_QUOTES = /[;"\r\n]|^\s|\s$/;
const CHUNK_CHARS = 64 * 1024;

export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(';')}\r\n`;
}

export class CsvSink {
  /** Data rows written (the header is not counted). */
  rows = 0;
  bytes = 0;
  private buffer = '';
  private failure: Error | undefined;

  private constructor(
    readonly path: string,
    private readonly stream: WriteStream,
  ) {
    stream.on('error', (err) => {
      this.failure = err;
    });
  }

  static async open(path: string, header: readonly string[]): Promise<CsvSink> {
    await mkdir(dirname(path), { recursive: true });
    const sink = new CsvSink(path, createWriteStream(path));
    sink.buffer = csvLine(header);
    return sink;
  }

  /** Queues a row; returns a promise only when the caller must wait (a chunk was flushed). */
  write(fields: readonly string[]): Promise<void> | undefined {
    this.buffer += csvLine(fields);
    this.rows++;
    return this.buffer.length >= CHUNK_CHARS ? this.flush() : undefined;
  }

  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await finished(this.stream);
  }

  /** Abandons the file after a failure elsewhere (the stream is closed, the partial file stays). */
  destroy(): void {
    this.stream.destroy();
  }

  private async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.buffer === '') return;
    const chunk = Buffer.from(this.buffer, 'utf8');
    this.buffer = '';
    this.bytes += chunk.length;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }
}
