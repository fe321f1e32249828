import { createHash } from 'node:crypto';
import { type FileHandle, mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileTypeFromBuffer, fileTypeFromFile } from 'file-type';
import { validate as isUuid } from 'uuid';
import {
  isAllowedMimeType,
  legacyOfficeMimeType,
  TEXT_MIME_TYPES,
  textMimeTypeForFileName,
} from '../../domain/attachments/allowed-types.ts';
import { DomainError } from '../../domain/errors.ts';
import { newId } from '../db/ids.ts';

// The storage half of attachments (SPEC §9): bytes go from the request straight to
// `<uploadsDir>/<organizationId>/<uuid>` without ever being held whole in memory, the type is decided
// from the content, and a failed upload leaves nothing behind. Rows and HTTP live elsewhere: the
// route stores the file first, then inserts the row, and calls removeStoredUpload if the insert fails.

/**
 * How much of the start of a file is kept for type detection. file-type needs 4100 bytes for most
 * formats; ZIP-based Office files are recognised from their first entries, which a 64 KiB window
 * usually covers. A file of this size or less is sniffed whole, so its verdict is exact.
 */
export const SNIFF_BYTES = 64 * 1024;

/** A file written to the uploads directory. */
export interface StoredUpload {
  /** The UUID naming the file; use it as the attachment row's id so the path follows from the row. */
  id: string;
  /** `<organizationId>/<id>`, relative to the uploads directory; see storedUploadPath. */
  storageKey: string;
  /** Where the file is now. */
  absolutePath: string;
  sizeBytes: number;
  /** SHA-256 of the content, lower-case hex. */
  sha256: string;
  /** The type decided from the content (and for text and legacy Office files, the name's extension). */
  mimeType: string;
}

/** How storeUpload stores one file. */
export interface StoreUploadOptions {
  /** The uploads root, outside any web root (`<dataDir>/uploads`). */
  uploadsDir: string;
  /** The owning organization's UUID; names the subdirectory. */
  organizationId: string;
  /** Largest accepted size in bytes; one byte more fails with PAYLOAD_TOO_LARGE. */
  maxBytes: number;
  /** The user's file name: only its extension is read, to tell CSV from text and .doc from .xls. */
  fileName: string;
  /** Aborts the upload (e.g. the request's signal when the client goes away); nothing is kept. */
  signal?: AbortSignal;
}

/** Where upload bytes come from: a Node stream (e.g. busboy's file stream) or any async iterable of bytes. */
export type UploadSource = AsyncIterable<Uint8Array> | NodeJS.ReadableStream;

/**
 * Streams `source` to `<uploadsDir>/<organizationId>/<uuid>` through a `<uuid>.part` temporary file,
 * hashing and sniffing the type on the way; throws DomainError PAYLOAD_TOO_LARGE, VALIDATION (empty
 * file) or UNSUPPORTED_MEDIA_TYPE, or the source's or file system's error. On any failure the
 * temporary file is removed and the source is closed (a Node stream is destroyed, another iterable is
 * sent return()); a caller using busboy must still drain or end the request itself.
 */
export async function storeUpload(source: UploadSource, options: StoreUploadOptions): Promise<StoredUpload> {
  const organizationId = checkedUuid(options.organizationId, 'organizationId');
  if (!Number.isSafeInteger(options.maxBytes) || options.maxBytes <= 0) {
    throw new Error(`maxBytes must be a positive integer, got ${options.maxBytes}`);
  }
  options.signal?.throwIfAborted();

  const directory = path.join(path.resolve(options.uploadsDir), organizationId);
  await mkdir(directory, { recursive: true, mode: 0o750 });
  const id = newId();
  const finalPath = path.join(directory, id);
  // Same directory as the final name, so the rename is atomic; 'wx' refuses to reuse any existing file.
  const tempPath = `${finalPath}.part`;
  const file = await open(tempPath, 'wx', 0o600);
  let fileOpen = true;
  try {
    const received = await receive(source, file, options);
    // Flushed before the rename so a crash cannot leave a complete-looking name over missing bytes.
    await file.sync();
    await file.close();
    fileOpen = false;
    const mimeType = received.refineFromFile ? await refineZipType(tempPath) : received.mimeType;
    await rename(tempPath, finalPath);
    return {
      id,
      storageKey: uploadStorageKey(organizationId, id),
      absolutePath: finalPath,
      sizeBytes: received.sizeBytes,
      sha256: received.sha256,
      mimeType,
    };
  } catch (error) {
    if (fileOpen) await file.close().catch(() => {});
    // The caller needs the original error more than a cleanup one; a `.part` file that survives a
    // failed rm is never served, since storedUploadPath accepts only `<uuid>/<uuid>`.
    await rm(tempPath, { force: true }).catch(() => {});
    throw error;
  }
}

/** Deletes a stored upload; a file already gone is fine, so a retried cleanup cannot fail. */
export async function removeStoredUpload(absolutePath: string): Promise<void> {
  // Only ever a file this module named: a bug elsewhere must not turn this into "delete any path".
  if (!path.isAbsolute(absolutePath) || !isUuid(path.basename(absolutePath))) {
    throw new Error(`not a stored upload path: ${JSON.stringify(absolutePath)}`);
  }
  await rm(absolutePath, { force: true });
}

/** The storage key of an upload: `<organizationId>/<id>`, both UUIDs. */
export function uploadStorageKey(organizationId: string, id: string): string {
  return `${checkedUuid(organizationId, 'organizationId')}/${checkedUuid(id, 'id')}`;
}

/**
 * The absolute path of a stored upload from its key; throws a plain Error unless the key is
 * `<uuid>/<uuid>` and the path stays inside `uploadsDir`. Keys come from rows, never from users.
 */
export function storedUploadPath(uploadsDir: string, storageKey: string): string {
  const [organizationId, id, ...rest] = storageKey.split('/');
  if (organizationId === undefined || id === undefined || rest.length > 0) {
    throw new Error(`invalid attachment storage key: ${JSON.stringify(storageKey)}`);
  }
  const root = path.resolve(uploadsDir);
  const resolved = path.resolve(
    root,
    checkedUuid(organizationId, 'storage key'),
    checkedUuid(id, 'storage key'),
  );
  // Cannot fail after the UUID checks; kept so a future change to them cannot open a traversal.
  if (!resolved.startsWith(root + path.sep)) {
    throw new Error(`attachment storage key leaves the uploads directory: ${JSON.stringify(storageKey)}`);
  }
  return resolved;
}

function checkedUuid(value: string, what: string): string {
  if (!isUuid(value)) throw new Error(`${what} must be a UUID, got ${JSON.stringify(value)}`);
  // PostgreSQL prints UUIDs in lower case; paths built from rows later must match on case-sensitive disks.
  return value.toLowerCase();
}

interface Received {
  sizeBytes: number;
  sha256: string;
  mimeType: string;
  /** The sniffed window said "zip" but did not hold the whole file: look again at the whole file. */
  refineFromFile: boolean;
}

/** The type decided from the sniffed window; `text` means the whole file must pass Utf8TextCheck. */
interface Verdict {
  mimeType: string;
  text: boolean;
  /** What to name in the rejection if the text check fails. */
  detectedType: string;
}

async function receive(
  source: UploadSource,
  file: FileHandle,
  options: StoreUploadOptions,
): Promise<Received> {
  const hash = createHash('sha256');
  const textCheck = new Utf8TextCheck();
  const window = new Uint8Array(SNIFF_BYTES);
  let windowLength = 0;
  let sizeBytes = 0;
  let verdict: Verdict | undefined;

  const iterator = (source as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]();
  let sourceDone = false;
  try {
    for (;;) {
      const step = await nextOrAbort(iterator, options.signal);
      if (step.done) {
        sourceDone = true;
        break;
      }
      const chunk = step.value;
      if (typeof chunk === 'string') {
        throw new Error('upload source yielded a string: it must yield bytes (was setEncoding called?)');
      }
      if (chunk.length === 0) continue;

      // Checked before the chunk is written: the limit stops the upload, not just the row.
      sizeBytes += chunk.length;
      if (sizeBytes > options.maxBytes) {
        throw new DomainError(
          'PAYLOAD_TOO_LARGE',
          `the file is larger than ${formatBytes(options.maxBytes)}`,
          {
            maxBytes: options.maxBytes,
          },
        );
      }
      hash.update(chunk);
      await writeFully(file, chunk);

      // Every byte goes through the text check until it fails or the verdict says binary, so text is
      // judged on the whole file at no extra read (TextDecoder keeps only a partial character).
      if (verdict === undefined || verdict.text) {
        textCheck.push(chunk);
        if (verdict !== undefined && !textCheck.valid) throw unsupported(verdict.detectedType);
      }

      if (verdict === undefined) {
        const taken = Math.min(chunk.length, SNIFF_BYTES - windowLength);
        window.set(chunk.subarray(0, taken), windowLength);
        windowLength += taken;
        // Decided as soon as the window is full, so an executable is refused after 64 KiB, not 25 MiB.
        if (windowLength === SNIFF_BYTES) {
          verdict = await decideType(window, options.fileName);
          if (verdict.text && !textCheck.valid) throw unsupported(verdict.detectedType);
        }
      }
    }
  } finally {
    if (!sourceDone) closeSource(source, iterator);
  }

  if (sizeBytes === 0) throw new DomainError('VALIDATION', 'the file is empty');
  // A file shorter than the window was sniffed whole.
  verdict ??= await decideType(window.subarray(0, windowLength), options.fileName);
  if (verdict.text && !textCheck.finish()) throw unsupported(verdict.detectedType);

  return {
    sizeBytes,
    sha256: hash.digest('hex'),
    mimeType: verdict.mimeType,
    // A docx whose [Content_Types].xml lies past the window looks like a plain zip from there.
    refineFromFile: verdict.mimeType === 'application/zip' && sizeBytes > SNIFF_BYTES,
  };
}

// file-type reports these for content that is also plain text; storing them as text/plain (when the
// whole file is UTF-8) accepts an XML export or a calendar invite without letting a browser render
// XML. An HTML file named .txt with a <script> inside also ends up text/plain: downloads are served
// with that Content-Type and `X-Content-Type-Options: nosniff`, so the browser shows it, never runs it.
const TEXT_LIKE_TYPES = new Set<string>([
  ...TEXT_MIME_TYPES,
  'application/xml',
  'text/vcard',
  'text/calendar',
  'text/vtt',
]);

async function decideType(head: Uint8Array, fileName: string): Promise<Verdict> {
  let detected: string | undefined;
  try {
    detected = (await fileTypeFromBuffer(head))?.mime;
  } catch {
    // A detector choking on malformed input; the text rule below still refuses anything binary.
    detected = undefined;
  }

  if (
    detected === undefined ||
    TEXT_LIKE_TYPES.has(detected) ||
    (detected === 'image/bmp' && !isPlausibleBmp(head))
  ) {
    // Any file with a NUL or invalid UTF-8 anywhere in it is refused, so a renamed binary never passes.
    return {
      mimeType: textMimeTypeForFileName(fileName),
      text: true,
      detectedType: detected ?? 'application/octet-stream',
    };
  }
  if (detected === 'application/x-cfb') {
    // The container alone says nothing (MSI installers are CFB too): trust it only under a legacy
    // Office extension, and store the proper type so downloads open in the right program.
    const legacy = legacyOfficeMimeType(fileName);
    if (legacy === undefined) throw unsupported(detected);
    return { mimeType: legacy, text: false, detectedType: detected };
  }
  if (!isAllowedMimeType(detected)) throw unsupported(detected);
  return { mimeType: detected, text: false, detectedType: detected };
}

// file-type calls anything starting "BM" a bitmap, which includes a text file starting "BMW"; a real
// BMP has a known DIB header size at byte 14.
const BMP_DIB_HEADER_SIZES = new Set([12, 16, 40, 52, 56, 64, 108, 124]);

function isPlausibleBmp(head: Uint8Array): boolean {
  if (head.length < 18) return false;
  const dibHeaderSize = new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(14, true);
  return BMP_DIB_HEADER_SIZES.has(dibHeaderSize);
}

/** Looks at the whole finished file: a ZIP's Office markers may lie past the sniffed window. */
async function refineZipType(filePath: string): Promise<string> {
  let detected: string | undefined;
  try {
    // file-type bounds its ZIP entry reads itself; this caps any other allocation driven by the content.
    detected = (await fileTypeFromFile(filePath, { maxBufferSize: 1024 * 1024 }))?.mime;
  } catch {
    // The window already proved a ZIP, which is allowed.
    return 'application/zip';
  }
  if (detected === undefined) return 'application/zip';
  // Consistent with small files: a jar or an apk is refused whether its marker came early or late.
  if (!isAllowedMimeType(detected)) throw unsupported(detected);
  return detected;
}

/** Whether bytes fed in pieces are UTF-8 text: valid encoding and no NUL byte. */
class Utf8TextCheck {
  #decoder = new TextDecoder('utf-8', { fatal: true });
  valid = true;

  push(chunk: Uint8Array): void {
    if (!this.valid) return;
    // NUL is valid UTF-8 but no text file has one; every binary format does, sooner or later.
    if (chunk.includes(0)) {
      this.valid = false;
      return;
    }
    try {
      this.#decoder.decode(chunk, { stream: true });
    } catch {
      this.valid = false;
    }
  }

  /** Ends the input: a file cut in the middle of a character is not valid text. */
  finish(): boolean {
    if (!this.valid) return false;
    try {
      this.#decoder.decode();
    } catch {
      this.valid = false;
    }
    return this.valid;
  }
}

function unsupported(detectedType: string): DomainError {
  return new DomainError('UNSUPPORTED_MEDIA_TYPE', `files of type ${detectedType} are not accepted`, {
    detectedType,
  });
}

function formatBytes(bytes: number): string {
  const mebibyte = 1024 * 1024;
  return bytes % mebibyte === 0 ? `${bytes / mebibyte} MiB` : `${bytes} bytes`;
}

async function writeFully(file: FileHandle, chunk: Uint8Array): Promise<void> {
  let offset = 0;
  // A write may take fewer bytes than offered (a full disk reports ENOSPC on the next attempt).
  while (offset < chunk.length) {
    const { bytesWritten } = await file.write(chunk, offset, chunk.length - offset);
    if (bytesWritten === 0) throw new Error('the uploads file system accepted no bytes');
    offset += bytesWritten;
  }
}

/** Tells the source we stopped reading early. */
function closeSource(source: UploadSource, iterator: AsyncIterator<unknown>): void {
  // A Node stream is destroyed directly: its iterator's return() would wait behind a pending next()
  // that, after an abort, may never settle.
  const destroy = (source as { destroy?: unknown }).destroy;
  if (typeof destroy === 'function') {
    destroy.call(source);
    return;
  }
  // Not awaited for the same reason: an async generator runs return() only once it is idle.
  void Promise.resolve(iterator.return?.()).catch(() => {});
}

/** The next chunk, or a rejection with the signal's reason as soon as it aborts. */
function nextOrAbort<T>(
  iterator: AsyncIterator<T>,
  signal: AbortSignal | undefined,
): Promise<IteratorResult<T>> {
  if (signal === undefined) return iterator.next();
  signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    iterator
      .next()
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}
