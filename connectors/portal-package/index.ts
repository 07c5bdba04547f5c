/**
 * portal-package: the nightly diary export for a state-services portal (issue 8). Writes the
 * day's changes of lessons, marks, attendance and homework, consent applied for the instance's
 * purpose, as a signed package to a folder or an HTTP endpoint. The rows come from the export
 * source `diary.changes` (src/pipeline/sources/diary-changes.ts) from the instance's cursor.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConnector, type ExportRow, type WriteResult } from '../../src/core/contract.ts';
import { PermanentError } from '../../src/core/errors.ts';
import { portalPackageConfigSchema, type PortalPackageConfig } from './config.ts';
import { deliverHttp } from './deliver-http.ts';
import { PackageBuilder, packageName } from './package.ts';

export const portalPackageConnector = defineConnector<PortalPackageConfig>({
  id: 'portal-package',
  version: '0.1.0',
  description: 'Nightly diary changes for a state-services portal: JSON Lines + signed manifest, to a folder or an HTTP endpoint',
  configSchema: portalPackageConfigSchema,
  streams: [{ name: 'diary_changes', kind: 'events', primaryKey: ['id'], direction: 'export', exportSource: 'diary.changes' }],

  async check(config) {
    if (config.folder) {
      fs.mkdirSync(config.folder, { recursive: true });
      try {
        fs.accessSync(config.folder, fs.constants.W_OK);
      } catch {
        throw new PermanentError('folder_not_writable', `cannot write to ${config.folder}`);
      }
    }
  },

  async *write(_stream, config, rows, ctx): AsyncIterable<WriteResult> {
    if (!ctx.window) throw new PermanentError('bad_stream', 'portal-package writes change-feed windows only (export source diary.changes)');
    const from = ctx.window.after + 1;
    const to = ctx.window.upTo;
    const name = packageName(ctx.instance, from, to);
    const staging = config.folder ?? path.join(os.tmpdir(), 'rso-hub-portal-package');
    let pkg: PackageBuilder | undefined;
    try {
      for await (const row of rows as AsyncIterable<ExportRow>) {
        pkg ??= PackageBuilder.open(staging, name);
        await pkg.add(row);
        // Counted as sent once in the package being assembled: if the package is not completed
        // below, the run fails and the cursor stays, so every row is sent again next time.
        yield { publicId: row.publicId, status: 'sent' };
      }
      // Nothing changed since the last package: no empty package is published.
      if (!pkg) return;
      const manifest = await pkg.finish({
        instance: ctx.instance, organization: ctx.organization.code, from, to, createdAt: ctx.now().toISOString(), signingKey: config.signingKey, keyId: config.keyId,
      });
      if (config.folder) {
        const where = pkg.publish(config.folder);
        ctx.log.info('portal package published', { package: name, folder: where, records: manifest.totals.records });
      } else {
        await deliverHttp(config, pkg.dir, manifest, ctx.signal);
        pkg.discard();
        ctx.log.info('portal package delivered', { package: name, records: manifest.totals.records });
      }
      pkg = undefined;
    } finally {
      pkg?.discard();
    }
  },
});

export default portalPackageConnector;
