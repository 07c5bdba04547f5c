/**
 * GET /api/v1/openapi.json (the OpenAPI 3.0 document) and GET /api/v1/docs (a small page rendered
 * from it, with no scripts and nothing loaded from elsewhere). Neither needs a token.
 */
import type { FastifyInstance } from 'fastify';
import { openApiDocument } from '../../v1/openapi.ts';
import { studentPath, windowQuery } from '../../v1/windows.ts';
import { schedulePath, scheduleQuery } from '../myschool.ts';
import { changesQuery } from './changes.ts';

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

type Operation = { summary?: string; description?: string; security?: Record<string, string[]>[]; parameters?: { name: string; in: string; required: boolean; description?: string }[]; responses?: Record<string, { description?: string }> };

export function docsPage(doc: Record<string, unknown>): string {
  const info = doc.info as { title: string; description: string };
  const paths = doc.paths as Record<string, Record<string, Operation>>;
  const ops = Object.entries(paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => {
    const scope = op.security?.[0]?.clientCredentials?.join(' ') ?? '';
    const params = (op.parameters ?? []).map((p) => `<tr><td><code>${esc(p.name)}</code></td><td>${esc(p.in)}</td><td>${p.required ? 'yes' : ''}</td><td>${esc(p.description)}</td></tr>`).join('');
    const errors = Object.entries(op.responses ?? {}).filter(([s]) => s !== '200').map(([s, r]) => `<li><b>${esc(s)}</b> ${esc(r.description)}</li>`).join('');
    return `<section><h2><code>${esc(method.toUpperCase())} ${esc(path)}</code></h2><p>${esc(op.summary)}</p>${op.description ? `<p>${esc(op.description)}</p>` : ''}` +
      `<p>Scope: <code>${esc(scope)}</code></p>${params ? `<table><tr><th>parameter</th><th>in</th><th>required</th><th></th></tr>${params}</table>` : ''}<ul>${errors}</ul></section>`;
  })).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(info.title)}</title>` +
    '<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}code{background:#f3f3f3;padding:0 .2em}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2em .5em;text-align:left}</style>' +
    `</head><body><h1>${esc(info.title)}</h1><p>${esc(info.description)}</p><p>Token: <code>POST /oauth/token</code> with <code>grant_type=client_credentials</code> ` +
    '(HTTP Basic client id and secret). The machine-readable document: <a href="openapi.json">openapi.json</a>.</p>' +
    `${ops}</body></html>`;
}

export async function docsRoutes(app: FastifyInstance): Promise<void> {
  const doc = openApiDocument({ studentPath, windowQuery, changesQuery, schedulePath, scheduleQuery });
  const page = docsPage(doc);
  app.get('/openapi.json', async () => doc);
  app.get('/docs', async (_request, reply) => reply.type('text/html; charset=utf-8').header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'").send(page));
}
