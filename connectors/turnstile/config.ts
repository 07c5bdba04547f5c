/** Configuration of a turnstile instance (hub.yaml `instances[].config`). */
import { z } from 'zod';
import { accessSettingsShape } from '../../src/domain/access/settings.ts';

export const STREAMS = ['events', 'cards'] as const;
export type TurnstileStream = (typeof STREAMS)[number];

const pattern = z.string().min(1).describe('file name pattern in the drop folder, case-insensitive; * and ? are wildcards');

export const turnstileConfig = z.strictObject({
  /** Which files feed which stream. Unset: names with "card"/"карт" are the register, the rest logs. */
  files: z.strictObject({ events: pattern.optional(), cards: pattern.optional() }).optional(),
  /**
   * Event-log layout: `table` (CSV/XLSX with a header: PERCo-, Sigur-style), `attlog` (ZKTeco's
   * tab-separated attlog without a header), or `auto` (an attlog is recognized by its first line).
   */
  log: z.enum(['auto', 'table', 'attlog']).default('auto'),
  /**
   * attlog passes carry no usable direction on most school installations: `alternate` takes each
   * person's first pass of the day as an entry, the next as an exit, and so on (repeated reads
   * within duplicateWindowSeconds count once); `state` trusts the device's state column
   * (0 check-in, 1 check-out, 2 break-out, 3 break-in, 4 overtime-in, 5 overtime-out).
   */
  attlogDirection: z.enum(['alternate', 'state']).default('alternate'),
  delimiter: z.enum([';', ',', '\t', '|']).optional(),
  encoding: z.enum(['auto', 'windows-1251', 'windows-1252']).optional(),
  sheet: z.string().min(1).optional(),
  /** Pushed batches: how far X-Timestamp may be from the hub's clock (replay protection). */
  replayWindowSeconds: z.number().int().min(5).max(3600).default(300),
  ...accessSettingsShape,
});
export type TurnstileConfig = z.infer<typeof turnstileConfig>;
