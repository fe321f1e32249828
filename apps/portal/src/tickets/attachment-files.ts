import { DEFAULT_MAX_UPLOAD_BYTES, fileNameExtension, UPLOAD_ACCEPT } from '@atum-desk/core/domain';
import { type FileDropZoneItem, formatBytes } from '@atum-desk/ui';

/** A file picked for upload, with where its upload stands. */
export interface PickedFile extends FileDropZoneItem {
  file: File;
}

const ACCEPTED = new Set(UPLOAD_ACCEPT.split(',').map((extension) => extension.slice(1)));

/**
 * What the browser can tell before sending: the size limit and the file-name extensions of the
 * allow-list. Only a hint: the server decides by the content and answers 413 or 415 itself.
 */
export function checkFile(file: File, maxBytes = DEFAULT_MAX_UPLOAD_BYTES): string | undefined {
  if (file.size > maxBytes) return `Larger than the ${formatBytes(maxBytes)} limit`;
  if (file.size === 0) return 'The file is empty';
  if (!ACCEPTED.has(fileNameExtension(file.name))) return 'This type of file is not accepted';
  return undefined;
}

let nextId = 0;

/** Entries for newly picked files; refused ones carry their reason and are not sent. */
export function pickFiles(files: File[]): PickedFile[] {
  return files.map((file) => {
    const error = checkFile(file);
    return {
      id: `file-${++nextId}`,
      file,
      name: file.name,
      size: file.size,
      status: error ? 'error' : 'queued',
      ...(error ? { error } : {}),
    };
  });
}
