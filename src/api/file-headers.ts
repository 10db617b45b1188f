// Headers of a file sent to a client, shared by v1's downloads and v2's export URLs: a
// Content-Disposition every client reads, and a sandbox for active content opened in a browser.
import type { FastifyReply } from 'fastify';
import { isActiveContentType } from '../core/content-types.js';

/** No scripts, plugins, forms or same-origin access; images, styles and media of the page still show. */
export const ACTIVE_CONTENT_POLICY = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; media-src 'self' data:; font-src 'self' data:";

/** `attachment; filename="..."` readable by every client, with the exact name in filename*. */
export function contentDisposition(filename: string, inline: boolean): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/**
 * Content-Type and Content-Disposition of a file; an active output (HTML, SVG, XML) opened in a
 * browser runs in a sandbox: no script, an origin of its own, never the API's (where the console
 * keeps the key).
 */
export function fileHeaders(reply: FastifyReply, file: { readonly filename: string; readonly mime: string; readonly inline: boolean }): FastifyReply {
  reply.header('Content-Type', file.mime).header('Content-Disposition', contentDisposition(file.filename, file.inline));
  if (isActiveContentType(file.mime)) reply.header('Content-Security-Policy', ACTIVE_CONTENT_POLICY);
  return reply;
}
