/** Configuration of a portal-package instance: where packages go and the key that signs them. */
import { z } from 'zod';

export const portalPackageConfigSchema = z
  .strictObject({
    /** Folder packages are published into (created if missing); relative paths from the working directory. */
    folder: z.string().min(1).optional(),
    /** Or an HTTP(S) endpoint that takes `PUT <url>/<package>/<file>`. */
    url: z.string().regex(/^https?:\/\/[^\s]+$/, 'an http(s) URL').optional(),
    /** HMAC-SHA256 key of the manifest signature: from the environment (`${PORTAL_EXPORT_KEY}`). */
    signingKey: z.string().min(32, 'at least 32 characters; set it from the environment, e.g. ${PORTAL_EXPORT_KEY}'),
    /** Names the key in the signature file, so the receiver can rotate keys. */
    keyId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/).default('default'),
    /** Extra headers for the endpoint (an Authorization the receiver demands). */
    headers: z.record(z.string(), z.string()).default({}),
    timeoutMs: z.number().int().min(1000).max(600_000).default(60_000),
  })
  .refine((c) => (c.folder === undefined) !== (c.url === undefined), { message: 'set exactly one of folder and url', path: ['folder'] });

export type PortalPackageConfig = z.infer<typeof portalPackageConfigSchema>;
