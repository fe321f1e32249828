import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import busboy from 'busboy';
import { DomainError } from '../../domain/errors.ts';

// Reads a `multipart/form-data` upload as a stream (SPEC §9: never buffered whole). busboy parses the
// body; the file part is handed out as an async iterable to pass straight to storeUpload. That
// iterable ends only once the whole body has been read and found well-formed (a second file, a torn
// last boundary and a client that went away all surface as its error), so storeUpload's own cleanup
// covers every failure: no request that fails anywhere leaves a file.
//
// Text fields are read only when they come before the file part: the file is streamed as it arrives,
// so by the time a later field would be read, the decisions it could change are made. Browsers send
// FormData entries in the order they were appended, so append fields first.

/** Bytes of multipart framing and text fields tolerated above the file-size limit by the early Content-Length check. */
export const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/** How readMultipartUpload reads one upload. */
export interface MultipartUploadOptions {
  /** The form field that must carry the file. */
  fileField: string;
  /** Largest accepted file in bytes; busboy stops one byte past it, so storeUpload reports the overrun. */
  maxBytes: number;
}

/** A multipart upload whose file part has begun. */
export interface MultipartUpload {
  /** The text fields that came before the file, by name (a repeated name keeps its first value). */
  fields: ReadonlyMap<string, string>;
  /** The file name the client sent (busboy drops any directory part); for display only. */
  fileName: string;
  /** The file's bytes; errors if the rest of the body turns out malformed, or holds a second file. */
  source: AsyncIterable<Uint8Array>;
  /** Stops reading the body; call it when done, whether the upload was used or not. Idempotent. */
  discard(): void;
}

/**
 * Starts reading `request`'s body as one file upload and resolves once the file part begins. Rejects
 * with UNSUPPORTED_MEDIA_TYPE for a body that is not `multipart/form-data`, PAYLOAD_TOO_LARGE when
 * Content-Length already says the file cannot fit, and VALIDATION for a body without the file, a file
 * under another field name, or a malformed body; a request whose client went away rejects with the
 * body's error. After a rejection nothing is left to discard.
 */
export async function readMultipartUpload(
  request: Request,
  options: MultipartUploadOptions,
): Promise<MultipartUpload> {
  const contentType = request.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data\s*(;|$)/i.test(contentType.trim())) {
    throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'send the file as multipart/form-data', {
      contentType: contentType.slice(0, 100) || null,
    });
  }
  // Refused before reading a byte when the client announces more than can be accepted; without a
  // Content-Length (chunked), the limit on the file stream decides.
  const contentLength = Number(request.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(contentLength) && contentLength > options.maxBytes + MULTIPART_OVERHEAD_BYTES) {
    throw new DomainError('PAYLOAD_TOO_LARGE', `the file is larger than ${options.maxBytes} bytes`, {
      maxBytes: options.maxBytes,
    });
  }
  const body = request.body;
  if (!body) throw new DomainError('VALIDATION', noFile(options.fileField));

  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { 'content-type': contentType },
      // Names sent by browsers and fetch are UTF-8; busboy's default (latin1) would garble accents.
      defParamCharset: 'utf8',
      limits: { files: 1, fileSize: options.maxBytes + 1, fields: 10, fieldSize: 1000 },
    });
  } catch (error) {
    // busboy throws here for a content type without a boundary.
    throw new DomainError('VALIDATION', `malformed multipart body: ${(error as Error).message}`);
  }

  return new Promise<MultipartUpload>((resolve, reject) => {
    const fields = new Map<string, string>();
    let started = false;
    let extraFile = false;
    let discarded = false;

    // Settles when the whole body has been parsed; the file's iterable waits for it before it ends.
    let settleBody: (error: Error | null) => void = () => {};
    const bodyDone = new Promise<void>((resolveBody, rejectBody) => {
      settleBody = (error) => (error ? rejectBody(error) : resolveBody());
    });
    // Awaited by the file's iterable only once the file is read; this keeps an early failure from
    // counting as unhandled.
    bodyDone.catch(() => {});

    const discard = () => {
      if (discarded) return;
      discarded = true;
      // Destroying busboy ends the pipeline, which stops reading the request body.
      parser.destroy();
    };

    // pipeline reports the parser's errors; this keeps a late one (after a discard) from crashing.
    parser.on('error', () => {});
    parser.on('field', (name, value) => {
      if (!started && !fields.has(name)) fields.set(name, value);
    });
    parser.on('filesLimit', () => {
      extraFile = true;
    });
    parser.on('file', (name, file, info) => {
      started = true;
      // A discard while the part is still arriving destroys this stream with an error; its reader
      // hears of it through the iterator, and without one an unheard 'error' would crash the process.
      file.on('error', () => {});
      if (name !== options.fileField) {
        discard();
        reject(
          new DomainError('VALIDATION', `send the file in the multipart field "${options.fileField}"`, {
            fields: [options.fileField],
          }),
        );
        return;
      }
      resolve({
        fields,
        // busboy leaves it undefined for a nameless part typed application/octet-stream.
        fileName: info.filename ?? '',
        source: fileBytes(file, bodyDone, () => extraFile, options.maxBytes),
        discard,
      });
    });

    pipeline(body as unknown as AsyncIterable<Uint8Array>, parser, (error) => {
      if (error) {
        const failure = discarded ? error : bodyError(error, request.signal);
        settleBody(failure);
        if (!started) reject(failure);
        return;
      }
      settleBody(null);
      if (!started) reject(new DomainError('VALIDATION', noFile(options.fileField)));
    });
  });
}

/** The file part's bytes, ending only after the rest of the body was parsed without a problem. */
async function* fileBytes(
  file: Readable & { truncated?: boolean },
  bodyDone: Promise<void>,
  sawExtraFile: () => boolean,
  maxBytes: number,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of file) yield chunk as Uint8Array;
  // storeUpload sees the byte past the limit and refuses first; kept for any other consumer.
  if (file.truncated) {
    throw new DomainError('PAYLOAD_TOO_LARGE', `the file is larger than ${maxBytes} bytes`, { maxBytes });
  }
  await bodyDone;
  if (sawExtraFile()) {
    throw new DomainError('VALIDATION', 'send one file per request', { fields: ['file'] });
  }
}

/**
 * Whether `error`, thrown while reading an upload, means the client went away: there is nobody left to
 * answer, and nothing went wrong on our side. `signal` is the request's.
 */
export function isClientGone(error: unknown, signal: AbortSignal): boolean {
  if (signal.aborted) return true;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return (
    code === 'ECONNRESET' ||
    code === 'ERR_STREAM_PREMATURE_CLOSE' ||
    (error instanceof Error && error.message === 'aborted')
  );
}

/** A parse failure as the client should hear it; a request that was aborted keeps its own error. */
function bodyError(error: Error, signal: AbortSignal): Error {
  if (isClientGone(error, signal)) return error;
  if (error instanceof DomainError) return error;
  return new DomainError('VALIDATION', `malformed multipart body: ${error.message}`);
}

function noFile(field: string): string {
  return `no file: send it in the multipart field "${field}"`;
}
