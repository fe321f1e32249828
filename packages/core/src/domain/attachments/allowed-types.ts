import { z } from 'zod';

// What an attachment may be (SPEC §9: images, PDF, text, office documents, zip). The server decides a
// file's type from its content, never from the name or the client's Content-Type; this list is the
// verdict it checks against, shared with the portal and desk so a file picker can say the same thing.
// Left out on purpose: SVG and HTML (scriptable when rendered; they arrive as text and are stored as
// text/plain), macro-enabled Office formats (docm, xlsm, pptm), RTF and PostScript (embedded objects and
// a programming language), executables, and the bare `application/x-cfb` container (also holds MSI
// installers; see LEGACY_OFFICE_MIME_TYPES).

/** Upload size limit when the configuration sets none: 25 MiB (SPEC §9). */
export const DEFAULT_MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

/** Plain text, stored only when the whole file is UTF-8 without NUL bytes. */
export const TEXT_MIME_TYPES = ['text/plain', 'text/csv'] as const;

/**
 * Legacy (97–2003) Office formats by file-name extension. Their content is a Compound File Binary
 * container, which also holds MSI installers and Outlook messages, so the server accepts it only
 * under one of these extensions and stores the matching type instead of `application/x-cfb`.
 */
export const LEGACY_OFFICE_MIME_TYPES: Readonly<Record<string, string>> = {
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  ppt: 'application/vnd.ms-powerpoint',
};

/** Every MIME type an attachment may be stored as. */
export const ALLOWED_MIME_TYPES = [
  'image/png',
  // file-type names an animated PNG apng; it is still a PNG to every browser.
  'image/apng',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/bmp',
  'image/tiff',
  // iPhone photos are HEIC by default; few browsers render them, but a download is harmless.
  'image/heic',
  'image/heif',
  'image/avif',
  'application/pdf',
  ...TEXT_MIME_TYPES,
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
  ...Object.values(LEGACY_OFFICE_MIME_TYPES),
  'application/zip',
] as const;

const ALLOWED = new Set<string>(ALLOWED_MIME_TYPES);

/** Whether files of this MIME type (parameters and case ignored) may be stored as attachments. */
export function isAllowedMimeType(mime: string): boolean {
  const essence = mime.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  return ALLOWED.has(essence);
}

/** The lower-cased extension of a file name without its dot, or '' when it has none. */
export function fileNameExtension(fileName: string): string {
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

/** The legacy Office type for a Compound File Binary file with this name, or undefined if not .doc/.xls/.ppt. */
export function legacyOfficeMimeType(fileName: string): string | undefined {
  const extension = fileNameExtension(fileName);
  // hasOwn, so a name ending in ".constructor" does not find Object.prototype's.
  return Object.hasOwn(LEGACY_OFFICE_MIME_TYPES, extension) ? LEGACY_OFFICE_MIME_TYPES[extension] : undefined;
}

/** The text type a UTF-8 file is stored as: text/csv for a `.csv` name, else text/plain. */
export function textMimeTypeForFileName(fileName: string): (typeof TEXT_MIME_TYPES)[number] {
  return fileNameExtension(fileName) === 'csv' ? 'text/csv' : 'text/plain';
}

/** The `accept` attribute for an upload input: a hint only, the server checks the content. */
export const UPLOAD_ACCEPT = [
  '.png',
  '.jpg',
  '.jpeg',
  '.gif',
  '.webp',
  '.bmp',
  '.tif',
  '.tiff',
  '.heic',
  '.heif',
  '.avif',
  '.pdf',
  '.txt',
  '.log',
  '.csv',
  '.docx',
  '.xlsx',
  '.pptx',
  '.odt',
  '.ods',
  '.odp',
  '.doc',
  '.xls',
  '.ppt',
  '.zip',
].join(',');

/** An attachment as the API shows it; the file itself is fetched from its download route. */
export const ZAttachment = z.object({
  id: z.uuid(),
  ticketId: z.uuid(),
  /** The comment the file was attached to, or null for one attached to the ticket itself. */
  commentId: z.uuid().nullable(),
  /** The sanitised name the user gave the file, for display and downloads only. */
  fileName: z.string().min(1).max(255),
  /** The type decided from the file's content at upload. */
  mimeType: z.string().min(1).max(127),
  sizeBytes: z.number().int().nonnegative(),
  /** SHA-256 of the content, lower-case hex. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** True for files on internal notes, which only staff may see. */
  internal: z.boolean(),
  createdAt: z.date(),
});
/** The API view of an attachment (`Attachment` is the server's entity). */
export type AttachmentInfo = z.infer<typeof ZAttachment>;
