/** What the server answers for a stored file (SPEC §11). */
export interface UploadedAttachment {
  id: string;
  fileName: string;
  mimeType: string;
  sizeBytes: number;
  sha256: string;
}

/** A refused or failed upload, shaped like a tRPC client error (`message`, `data.httpStatus`). */
export class UploadError extends Error {
  readonly data: { httpStatus?: number; fieldErrors?: Record<string, string[]>; details?: unknown };

  constructor(message: string, status: number | undefined, data: Record<string, unknown> = {}) {
    super(message);
    this.name = 'UploadError';
    this.data = { ...data, ...(status === undefined ? {} : { httpStatus: status }) };
  }
}

export interface UploadOptions {
  /** Staff only: the file belongs to an internal note and customers never see it. */
  internal?: boolean;
  /** The comment the file goes with. */
  commentId?: string;
  /** Called as bytes leave the browser, with the share sent (0 to 1). */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

/**
 * Sends one file to a ticket as staff: `POST /api/v1/internal/tickets/{id}/attachments`, multipart,
 * the text fields before the file (the server streams the file to disk and reads only fields that came
 * first). The one request the desk writes by hand: `fetch` reports no upload progress, XMLHttpRequest
 * does. Same origin, so the session cookie and the page's Origin go with it.
 */
export function uploadAttachment(
  ticketId: string,
  file: File,
  options: UploadOptions = {},
): Promise<UploadedAttachment> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', `/api/v1/internal/tickets/${encodeURIComponent(ticketId)}/attachments`);
    request.responseType = 'json';
    request.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable && event.total > 0) options.onProgress?.(event.loaded / event.total);
    });
    request.addEventListener('load', () => {
      const body = (request.response ?? {}) as Record<string, unknown>;
      if (request.status >= 200 && request.status < 300) {
        options.onProgress?.(1);
        resolve(body as unknown as UploadedAttachment);
        return;
      }
      const message = typeof body.message === 'string' ? body.message : `upload failed (${request.status})`;
      const data = (body.data ?? {}) as Record<string, unknown>;
      reject(new UploadError(message, request.status, data));
    });
    request.addEventListener('error', () => reject(new UploadError('network error', undefined)));
    request.addEventListener('abort', () => reject(new UploadError('the upload was cancelled', undefined)));
    options.signal?.addEventListener('abort', () => request.abort(), { once: true });
    const form = new FormData();
    form.append('internal', options.internal ? 'true' : 'false');
    if (options.commentId) form.append('commentId', options.commentId);
    form.append('file', file, file.name);
    request.send(form);
  });
}
