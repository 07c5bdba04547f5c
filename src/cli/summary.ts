/** Human output of a run: the summary table and a progress line on a TTY. */
import type { RunSummary } from '../pipeline/execute.ts';
import type { Progress } from '../pipeline/stream-run.ts';

export function formatSummary(s: RunSummary): string {
  const lines = [`run ${s.runId} of ${s.instance}: ${s.status}${s.dryRun ? ' (dry run: nothing committed)' : ''}`];
  const cols = ['read', 'created', 'updated', 'unchanged', 'deleted', 'rejected'] as const;
  lines.push(`  ${'stream'.padEnd(14)}${cols.map((c) => c.padStart(10)).join('')}`);
  for (const [name, c] of Object.entries(s.streams)) {
    if (c.sent !== undefined) {
      lines.push(`  ${name.padEnd(14)} export: read ${c.read}, sent ${c.sent}, skipped ${c.skipped ?? 0}, withheld (consent) ${c.withheld ?? 0}, failed ${c.failed ?? 0}`);
      continue;
    }
    lines.push(`  ${name.padEnd(14)}${cols.map((k) => String(c[k]).padStart(10)).join('')}`);
    const notes = Object.entries(c.notes ?? {}).filter(([, v]) => v > 0);
    if (notes.length) lines.push(`  ${''.padEnd(14)}${notes.map(([k, v]) => `${k}: ${v}`).join(', ')}`);
  }
  if (s.totals.rejected > 0) lines.push(`  rejected records: rso-hub rejects ${s.runId}; after fixing the mapping: rso-hub replay ${s.runId}`);
  if (s.error) lines.push(`  error [${s.error.code}]: ${s.error.message}`);
  if (s.followUps) lines.push(`  follow-up jobs run: ${s.followUps} (e.g. attendance derived for the school-days the run touched)`);
  return `${lines.join('\n')}\n`;
}

export function progressPrinter(): (p: Progress) => void {
  const started = Date.now();
  return (p) => {
    const secs = (Date.now() - started) / 1000;
    const rate = secs > 0 ? Math.round(p.read / secs) : 0;
    process.stderr.write(`\r${p.stream}: ${p.read.toLocaleString('en')} records, ${p.rejected} rejected, ${rate.toLocaleString('en')}/s   `);
  };
}
