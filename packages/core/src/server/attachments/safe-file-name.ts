// A user's file name is only ever shown and sent back in Content-Disposition (SPEC §9): it never
// becomes a path. These helpers make it harmless in both places.

/** Longest file name kept, in UTF-8 bytes: the common file-system limit, and fits the 255-char column. */
export const MAX_FILE_NAME_BYTES = 255;

/** Name used when nothing of the user's name survives sanitising. */
export const FALLBACK_FILE_NAME = 'file';

// An extension longer than this is more likely part of the name than a real extension; keeping it
// whole could leave no room for the base name.
const MAX_EXTENSION_BYTES = 32;

// C0 and C1 controls and DEL (\p{Cc}), line and paragraph separators, and the bidirectional
// controls that let "invoice\u202Efdp.exe" display as "invoiceexe.pdf".
const UNSAFE_CHARACTERS = /[\p{Cc}\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

const utf8 = new TextEncoder();
const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });

/** Sanitises a user-supplied file name for display and Content-Disposition; never empty. */
export function safeFileName(name: string): string {
  // Lone surrogates would make encodeURIComponent throw later; NFC so macOS's decomposed names
  // compare and truncate like everyone else's.
  let result = name.toWellFormed().normalize('NFC');
  // Browsers send "C:\\Users\\me\\x.pdf" (old IE) or a relative path from a folder upload.
  result = result.slice(Math.max(result.lastIndexOf('/'), result.lastIndexOf('\\')) + 1);
  result = result.replace(UNSAFE_CHARACTERS, '');
  // Leading dots would hide the file on Unix once saved (".bashrc") and make "..".
  result = result.replace(/^[\s.]+/u, '').trim();
  result = truncateKeepingExtension(result, MAX_FILE_NAME_BYTES);
  return result === '' ? FALLBACK_FILE_NAME : result;
}

function byteLength(text: string): number {
  return utf8.encode(text).length;
}

function truncateKeepingExtension(name: string, maxBytes: number): string {
  if (byteLength(name) <= maxBytes) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 && byteLength(name.slice(dot)) <= MAX_EXTENSION_BYTES ? name.slice(dot) : '';
  const base = extension === '' ? name : name.slice(0, dot);
  const budget = maxBytes - byteLength(extension);
  // Cut between graphemes so an accent or an emoji sequence is never split in half.
  let kept = '';
  let keptBytes = 0;
  for (const { segment } of graphemes.segment(base)) {
    const size = byteLength(segment);
    if (keptBytes + size > budget) break;
    kept += segment;
    keptBytes += size;
  }
  return kept.trimEnd() + extension;
}

/** A Content-Disposition value for `fileName`: an ASCII `filename` fallback plus RFC 5987 `filename*`. */
export function contentDisposition(fileName: string, disposition: 'attachment' | 'inline'): string {
  const name = safeFileName(fileName);
  return `${disposition}; filename="${asciiFallback(name)}"; filename*=UTF-8''${encodeRfc5987(name)}`;
}

// For clients that ignore filename* (RFC 6266 §4.3 says to prefer it). Accents are dropped rather
// than replaced so "résumé" reads "resume"; anything else outside printable ASCII becomes "_".
// Quotes and backslashes are replaced, not escaped, because browsers disagree on quoted-pair, and "%"
// because some clients percent-decode this parameter.
function asciiFallback(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]|["\\%]/gu, '_');
  return ascii.trim() === '' ? FALLBACK_FILE_NAME : ascii;
}

// RFC 5987 attr-char is narrower than what encodeURIComponent leaves alone: ' ( ) * must be encoded too.
function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
