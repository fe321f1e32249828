import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import {
  type Config,
  type Context,
  consumeRateLimit,
  contentDisposition,
  createContextFactory,
  DOMAIN_ERROR_MAP,
  DomainError,
  isClientGone,
  isStaffRole,
  type Logger,
  type MikroORM,
  openAttachmentForDownload,
  RATE_LIMIT_RULES,
  readMultipartUpload,
  type Scope,
  scopeOf,
  toAttachmentInfo,
  uploadAttachment,
} from '@atum-desk/core/server';
import type { Context as HonoContext } from 'hono';
import { Hono } from 'hono';
import { ZodError, z } from 'zod';
import { clientIp } from '../middleware/client-ip.ts';
import type { RequestLoggerVariables } from '../middleware/request-logger.ts';

// Attachments over plain HTTP (SPEC §9, §11): a multipart upload and a byte download are not JSON, so
// they are routes of their own beside the generated REST API. They share its ways: the same context
// factory (session from cookie or bearer), the per-user API rate limit that signedInProcedure counts,
// and errors in the body shape the REST adapter gives `{ message, code, data: { code, httpStatus, path,
// domainCode, … } }`, so a client handles one error format.
//
// Upload: `POST /api/v1/tickets/{id}/attachments` (and the same at `/api/v1/internal/tickets/{id}/
// attachments` for staff, beside the internal comments route), multipart with the file in the field
// `file`. Optional text fields `internal` ('true' | 'false') and `commentId` are read only when they
// come BEFORE the file part (the file streams to disk as it arrives); later ones are ignored.
//
// Download: `GET /api/v1/attachments/{id}/download`, always `Content-Disposition: attachment`, even for
// images and PDFs: a file never renders as a page of this origin, and `<img src>` ignores the
// disposition, so the web apps can still show pictures. The sandbox CSP, nosniff and the exact stored
// type are the second line of defence. HEAD is refused: it would count as a download in the audit log.

/** What the attachment routes need from the application. */
export interface AttachmentRouteDependencies {
  orm: MikroORM;
  config: Config;
  logger: Logger;
}

type RouteContext = HonoContext<{ Variables: RequestLoggerVariables }>;

const ZId = z.object({ id: z.uuid() });

/** The text fields of an upload; an empty commentId (an unfilled form input) means none. */
const ZUploadFields = z.object({
  internal: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => value === 'true'),
  commentId: z
    .union([z.literal(''), z.uuid()])
    .optional()
    .transform((value) => (value ? value : undefined)),
});

/** Headers every download carries, whatever the file. */
const DOWNLOAD_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'private, no-store',
  // Opened directly anyway, the file runs nothing and reaches nothing.
  'Content-Security-Policy': "default-src 'none'; sandbox",
  // Only pages of this origin may embed the bytes (the desk and portal show image attachments).
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** The attachment upload and download routes; mount them before the REST catch-all. */
export function attachmentRoutes(deps: AttachmentRouteDependencies) {
  const createContext = createContextFactory(deps);
  const uploadsDir = path.join(deps.config.dataDir, 'uploads');
  const routes = new Hono<{ Variables: RequestLoggerVariables }>();

  const signIn = async (c: RouteContext, resHeaders: Headers): Promise<{ ctx: Context; scope: Scope }> => {
    const ctx = await createContext({ req: c.req.raw, resHeaders, ip: clientIp(c) });
    const scope = scopeOf(ctx);
    if (!ctx.auth || !scope) throw new DomainError('UNAUTHENTICATED', 'sign in first');
    const limit = await consumeRateLimit(
      ctx.em,
      RATE_LIMIT_RULES.apiPerUser(deps.config.rateLimits.apiPerMinute),
      ctx.auth.user.id,
    );
    if (!limit.allowed) {
      throw new DomainError('RATE_LIMITED', 'too many requests; slow down', {
        retryAfterSeconds: limit.retryAfterSeconds,
      });
    }
    return { ctx, scope };
  };

  const upload = (procedurePath: string, staffOnly: boolean) => async (c: RouteContext) => {
    const resHeaders = new Headers();
    try {
      const { ctx, scope } = await signIn(c, resHeaders);
      if (staffOnly && (scope.role === 'SYSTEM' || !isStaffRole(scope.role))) {
        throw new DomainError('FORBIDDEN', 'staff only');
      }
      const { id: ticketId } = ZId.parse({ id: c.req.param('id') });
      const request = c.req.raw;
      const multipart = await readMultipartUpload(request, {
        fileField: 'file',
        maxBytes: deps.config.maxUploadBytes,
      });
      try {
        const fields = ZUploadFields.parse(Object.fromEntries(multipart.fields));
        const attachment = await uploadAttachment(ctx.em, scope, {
          ticketId,
          commentId: fields.commentId,
          internal: fields.internal,
          fileName: multipart.fileName,
          source: multipart.source,
          signal: request.signal,
          uploadsDir,
          maxBytes: deps.config.maxUploadBytes,
        });
        return withHeaders(c.json(toAttachmentInfo(attachment), 201), resHeaders);
      } finally {
        // Stops reading whatever the client still sends after a refusal; the server drains the rest.
        multipart.discard();
      }
    } catch (error) {
      return failure(c, resHeaders, error, procedurePath);
    }
  };

  routes.post('/api/v1/tickets/:id/attachments', upload('attachments.upload', false));
  routes.post('/api/v1/internal/tickets/:id/attachments', upload('internal.attachments.upload', true));

  routes.get('/api/v1/attachments/:id/download', async (c) => {
    const resHeaders = new Headers();
    // Hono answers HEAD with the GET handler; refused before any work.
    if (c.req.method === 'HEAD') return c.body(null, 405, { Allow: 'GET' });
    let handle: FileHandle | undefined;
    try {
      const { ctx, scope } = await signIn(c, resHeaders);
      const { id } = ZId.parse({ id: c.req.param('id') });
      const logger = c.get('logger');
      const download = await openAttachmentForDownload(ctx.em, scope, id, uploadsDir, logger);
      try {
        handle = await open(download.absolutePath, 'r');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        // Gone between the check and the open: as rare as it is worth a log line.
        logger.error({ attachmentId: id, path: download.absolutePath }, 'attachment file missing on disk');
        throw new DomainError('NOT_FOUND', 'the file of this attachment is missing on the server');
      }
      const { size } = await handle.stat();
      const { attachment } = download;
      const headers = new Headers(DOWNLOAD_HEADERS);
      headers.set('Content-Type', downloadContentType(attachment.mimeType));
      headers.set('Content-Length', String(size));
      headers.set('Content-Disposition', contentDisposition(attachment.fileName, 'attachment'));
      // The stream owns the handle from here: it closes it at the end, or when the client goes away.
      const body = Readable.toWeb(handle.createReadStream()) as ReadableStream<Uint8Array>;
      handle = undefined;
      return withHeaders(new Response(body, { status: 200, headers }), resHeaders);
    } catch (error) {
      await handle?.close().catch(() => {});
      return failure(c, resHeaders, error, 'attachments.download');
    }
  });

  return routes;
}

/** The Content-Type a stored type is served as; text was checked to be UTF-8 when stored. */
function downloadContentType(mimeType: string): string {
  return mimeType === 'text/plain' || mimeType === 'text/csv' ? `${mimeType}; charset=utf-8` : mimeType;
}

/** Adds the headers the context collected (a renewed session cookie, Retry-After) to a response. */
function withHeaders(response: Response, resHeaders: Headers): Response {
  resHeaders.forEach((value, name) => {
    if (name !== 'set-cookie') response.headers.set(name, value);
  });
  for (const cookie of resHeaders.getSetCookie()) response.headers.append('set-cookie', cookie);
  return response;
}

/** An error as the REST adapter would answer it; anything unexpected goes on to the app's 500 handler. */
function failure(c: RouteContext, resHeaders: Headers, error: unknown, procedurePath: string): Response {
  if (error instanceof DomainError) {
    const { trpc, status } = DOMAIN_ERROR_MAP[error.code];
    if (error.code === 'RATE_LIMITED' && typeof error.details?.retryAfterSeconds === 'number') {
      resHeaders.set('Retry-After', String(error.details.retryAfterSeconds));
    }
    const data = {
      code: trpc,
      httpStatus: status,
      path: procedurePath,
      domainCode: error.code,
      details: error.details,
    };
    return withHeaders(Response.json({ message: error.message, code: trpc, data }, { status }), resHeaders);
  }
  if (error instanceof ZodError) {
    const data = {
      code: 'BAD_REQUEST',
      httpStatus: 400,
      path: procedurePath,
      issues: error.issues,
      fieldErrors: z.flattenError(error).fieldErrors,
    };
    return withHeaders(
      Response.json(
        { message: 'Input validation failed', code: 'BAD_REQUEST', data, issues: error.issues },
        { status: 400 },
      ),
      resHeaders,
    );
  }
  if (isClientGone(error, c.req.raw.signal)) {
    // Not a server fault, and nobody is left to read an answer; storeUpload has removed the partial file.
    c.get('logger').info({ path: procedurePath }, 'upload aborted by the client');
    return Response.json(
      {
        message: 'the upload was aborted',
        code: 'BAD_REQUEST',
        data: { code: 'BAD_REQUEST', httpStatus: 400 },
      },
      { status: 400 },
    );
  }
  throw error;
}

// As in api.ts: the peer address of the socket (no proxy headers are trusted).
