/**
 * A load target: where mapped records of one kind (`person.student`, `timetable.lesson`, ...) go in
 * the core database. Targets resolve identities and write core rows for one chunk inside the
 * chunk's transaction; snapshot targets close what a new snapshot no longer holds in `finish`.
 */
import type { Knex } from 'knex';
import type { z } from 'zod';
import type { HubConfig, InstanceConfig } from '../config/schema.ts';
import type { OrgTree, ResolvedOrganization } from '../config/organizations.ts';
import type { VersionSource } from '../db/change-versions.ts';

export interface MappedRecord {
  /** Index of the record in its stream (0-based), and its place in the input. */
  index: number;
  position: string;
  raw: Record<string, unknown>;
  data: Record<string, unknown>;
}

export interface TargetReject {
  index: number;
  field?: string | undefined;
  code: string;
  message: string;
}

export interface Counts {
  read: number;
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  rejected: number;
  /** Export streams. */
  sent?: number;
  skipped?: number;
  withheld?: number;
  failed?: number;
}

export const zeroCounts = (): Counts => ({ read: 0, created: 0, updated: 0, unchanged: 0, deleted: 0, rejected: 0 });

export interface LoadContext {
  db: Knex;
  hub: HubConfig;
  orgs: OrgTree;
  org: ResolvedOrganization;
  instance: InstanceConfig;
  runId: string;
  stream: string;
  now: Date;
  dryRun: boolean;
  confirm: boolean;
  /** Connector id: the crosswalk's source system for external ids of this instance. */
  connector: string;
  /** Per-run scratch shared across chunks (caches of classes, subjects...). */
  cache: Map<string, unknown>;
}

export interface ChunkResult {
  created: number;
  updated: number;
  unchanged: number;
  deleted?: number;
  rejects: TargetReject[];
  /** Free-form change notes for the run summary ("transfer", "promotion"...): name -> count. */
  notes?: Record<string, number>;
}

export interface LoadTarget<T = Record<string, unknown>> {
  name: string;
  schema: z.ZodType<T>;
  /** Key of a record within a snapshot (to find what the snapshot no longer holds). */
  keyOf?(record: T): string;
  loadChunk(trx: Knex.Transaction, versions: VersionSource, records: (MappedRecord & { data: T })[], ctx: LoadContext): Promise<ChunkResult>;
  /** Snapshot end: handle rows missing from the snapshot; may throw PermanentError (e.g. needs --confirm). */
  finish?(trx: Knex.Transaction, versions: VersionSource, seen: Set<string>, ctx: LoadContext): Promise<{ deleted: number; notes?: Record<string, number> }>;
}
