/**
 * The connector contract (ARCHITECTURE.md, "The connector contract"). Types only, no I/O:
 * connectors import this file and nothing else of the engine.
 */
import type { z } from 'zod';

/** What happens to core rows owned by a snapshot stream that a new snapshot no longer contains. */
export type OnMissing = 'soft_delete' | 'close_enrollment' | 'keep_referenced' | 'ignore';

export interface StreamSpec {
  /** Stream name, unique within the connector, e.g. `students`. */
  name: string;
  /** Raw-record fields that identify a record within the source (used for duplicate detection). */
  primaryKey: string[];
  /** Raw-record field that orders an incremental stream (events streams). */
  cursorField?: string;
  /** `snapshot`: the input is the whole truth for its scope; `events`: only adds or updates. */
  kind: 'snapshot' | 'events';
  /** Policy for rows missing from a new snapshot. Defaults to `ignore` for event streams. */
  onMissing?: OnMissing;
  /** Streams of the same connector that must be loaded before this one. */
  dependsOn?: string[];
  /** Default mapping file stem (mappings/<connector>/<mapping>.<variant>.yaml); defaults to name. */
  mapping?: string;
  /** `import` (read -> core, the default) or `export` (core -> write). */
  direction?: 'import' | 'export';
  /** Export streams: the core query feeding write() (src/pipeline/export-sources.ts), e.g. `roster.students`. */
  exportSource?: string;
}

/** A raw record as the vendor shaped it, plus where it came from ("line 14", "Лист1!A7"). */
export interface RawRecord {
  kind: 'record';
  stream: string;
  data: Record<string, unknown>;
  position: string;
}

export interface CheckpointEvent<S> {
  kind: 'checkpoint';
  state: S;
}

/** A record the connector itself could not parse: stored as a rejection, the run goes on. */
export interface RejectEvent {
  kind: 'reject';
  stream: string;
  data: unknown;
  position: string;
  field?: string;
  code: string;
  message: string;
}

export type ReadEvent<S = unknown> = RawRecord | CheckpointEvent<S> | RejectEvent;

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** Size limits every reader enforces (hub.yaml `limits`). */
export interface Limits {
  maxFileBytes: number;
  maxRecordBytes: number;
  maxFieldChars: number;
  maxBodyBytes: number;
}

export interface OrganizationView {
  code: string;
  timeZone: string;
}

export interface ReadContext<S = unknown> {
  instance: string;
  organization: OrganizationView;
  /** Input files of this run (`--file`, or what the drop folder holds), in order. */
  files: string[];
  /** State of the last committed checkpoint of an interrupted run, if resuming. */
  state?: S;
  /** Date range narrowing of a run (`--from/--to`), ISO dates. */
  from?: string;
  to?: string;
  limits: Limits;
  log: Logger;
  now(): Date;
  signal: AbortSignal;
}

/** A row handed to write(): core data by public id, or a tombstone (deleted, or consent withdrawn). */
export interface ExportRow {
  publicId: string;
  kind: 'upsert' | 'tombstone';
  /** Why a tombstone: `deleted` | `consent_refused` | `left`. */
  reason?: string;
  /** The outside system's id from the crosswalk when this row was sent before. */
  externalId?: string;
  data: Record<string, unknown>;
}

export interface WriteResult {
  /** The hub's public id (UUID) of the row written. */
  publicId: string;
  status: 'sent' | 'skipped' | 'failed';
  /** The outside system's id, stored in the crosswalk. */
  externalId?: string;
  code?: string;
  message?: string;
}

export interface WriteContext {
  instance: string;
  organization: OrganizationView;
  log: Logger;
  now(): Date;
  signal: AbortSignal;
  /** Change-feed exports: the change-version window (after, upTo] the rows come from. */
  window?: { after: number; upTo: number };
  /** Scratch shared by the streams of one run, in this process (what an earlier stream created). */
  cache?: Map<string, unknown>;
}

export interface IngestRequest {
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
  /** Resolves a device or client secret by its id; undefined when unknown or revoked. */
  secretFor(id: string): Promise<string | undefined>;
  now(): Date;
}

export interface Connector<C = unknown, S = unknown> {
  id: string;
  version: string;
  description: string;
  configSchema: z.ZodType<C>;
  streams: StreamSpec[];
  /** Verifies the configuration against the outside world; throws PermanentError. */
  check(config: C, ctx: { log: Logger; signal: AbortSignal }): Promise<void>;
  read?(stream: string, config: C, ctx: ReadContext<S>): AsyncIterable<ReadEvent<S>>;
  write?(
    stream: string,
    config: C,
    rows: AsyncIterable<ExportRow>,
    ctx: WriteContext,
  ): AsyncIterable<WriteResult>;
  ingest?: {
    /**
     * Pushes authenticated by an API client token with this scope (e.g. `ingest:journal`) instead
     * of per-device signatures; verify() is then not called.
     */
    scope?: string;
    /** Throws PermanentError (code decides the HTTP status) when the request is not authentic. */
    verify(request: IngestRequest, config: C): Promise<{ source: string }>;
    /** Splits an authentic body into raw records; bad items become RejectEvents. */
    parse(body: Buffer, config: C): ReadEvent<S>[];
  };
}

export function defineConnector<C, S = unknown>(c: Connector<C, S>): Connector<C, S> {
  return c;
}
