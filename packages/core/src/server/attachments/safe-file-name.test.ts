import { describe, expect, it } from 'vitest';
import { contentDisposition, MAX_FILE_NAME_BYTES, safeFileName } from './safe-file-name.ts';

const utf8Length = (text: string) => new TextEncoder().encode(text).length;

describe('safeFileName', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\boot.ini', 'boot.ini'],
    ['/etc/passwd', 'passwd'],
    ['C:\\Users\\anna\\Desktop\\report.pdf', 'report.pdf'],
    ['folder/sub\\mixed/name.txt', 'name.txt'],
    ['../', 'file'],
    ['..', 'file'],
  ])('reduces the path %j to its base name %j', (input, expected) => {
    expect(safeFileName(input)).toBe(expected);
  });

  it.each([
    ['.bashrc', 'bashrc'],
    ['...hidden.txt', 'hidden.txt'],
    ['  . report.pdf  ', 'report.pdf'],
  ])('strips leading dots and surrounding spaces from %j', (input, expected) => {
    expect(safeFileName(input)).toBe(expected);
  });

  it('removes control characters, line breaks and bidirectional overrides', () => {
    expect(safeFileName('in\u0000voi\r\nce\u0007\u007f\u0085.pdf')).toBe('invoice.pdf');
    expect(safeFileName('invoice\u202egpj.exe')).toBe('invoicegpj.exe');
    expect(safeFileName('a\u2028b\u2066c.txt')).toBe('abc.txt');
  });

  it('keeps unicode letters, emoji and spaces', () => {
    expect(safeFileName('Rechnung März 2025 — Müller.pdf')).toBe('Rechnung März 2025 — Müller.pdf');
    expect(safeFileName('報告書 🎉.docx')).toBe('報告書 🎉.docx');
  });

  it('composes decomposed accents as macOS sends them', () => {
    expect(safeFileName('re\u0301sume\u0301.pdf')).toBe('résumé.pdf');
  });

  it('replaces a lone surrogate instead of failing later', () => {
    expect(safeFileName('bad\ud800name.txt')).toBe('bad\ufffdname.txt');
    expect(() => contentDisposition('bad\ud800name.txt', 'attachment')).not.toThrow();
  });

  it.each(['', '   ', '\u0000\u0001', '/', '\\'])('names an empty result %j "file"', (input) => {
    expect(safeFileName(input)).toBe('file');
  });

  it('limits a long name to 255 UTF-8 bytes, keeping the extension', () => {
    const result = safeFileName(`${'a'.repeat(300)}.pdf`);

    expect(result).toBe(`${'a'.repeat(251)}.pdf`);
    expect(utf8Length(result)).toBe(MAX_FILE_NAME_BYTES);
  });

  it('never cuts a multi-byte character or an emoji sequence in half', () => {
    const family = '👨‍👩‍👧';
    const result = safeFileName(`${'ü'.repeat(100)}${family.repeat(10)}.xlsx`);

    expect(utf8Length(result)).toBeLessThanOrEqual(MAX_FILE_NAME_BYTES);
    expect(result.endsWith('.xlsx')).toBe(true);
    expect(result.slice(0, -'.xlsx'.length).replace(/ü/g, '').replaceAll(family, '')).toBe('');
  });

  it('treats an overlong "extension" as part of the name', () => {
    const result = safeFileName(`a.${'b'.repeat(300)}`);

    expect(utf8Length(result)).toBeLessThanOrEqual(MAX_FILE_NAME_BYTES);
    expect(result.startsWith('a.bbb')).toBe(true);
  });

  it('leaves a name that is already safe unchanged, so applying it twice changes nothing', () => {
    const once = safeFileName('../x/ .Quartalsbericht Q3 (final) [v2].pdf');

    expect(once).toBe('Quartalsbericht Q3 (final) [v2].pdf');
    expect(safeFileName(once)).toBe(once);
  });
});

describe('contentDisposition', () => {
  it('gives résumé "final".pdf an ASCII fallback and a percent-encoded UTF-8 name', () => {
    expect(contentDisposition('résumé "final".pdf', 'attachment')).toBe(
      `attachment; filename="resume _final_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22final%22.pdf`,
    );
  });

  it('says inline when asked', () => {
    expect(contentDisposition('photo.png', 'inline')).toBe(
      `inline; filename="photo.png"; filename*=UTF-8''photo.png`,
    );
  });

  it('replaces backslashes and percent signs in the fallback and encodes RFC 5987 specials', () => {
    expect(contentDisposition("50% off (Anna's)*.txt", 'attachment')).toBe(
      `attachment; filename="50_ off (Anna's)*.txt"; filename*=UTF-8''50%25%20off%20%28Anna%27s%29%2A.txt`,
    );
    // The backslash is a path separator to safeFileName, so only the part after it survives.
    expect(contentDisposition('a\\b.txt', 'attachment')).toContain('filename="b.txt"');
  });

  it('falls back to underscores for names without any ASCII letters', () => {
    expect(contentDisposition('報告.pdf', 'attachment')).toBe(
      `attachment; filename="__.pdf"; filename*=UTF-8''%E5%A0%B1%E5%91%8A.pdf`,
    );
  });

  it('sanitises the name first, so no path or line break reaches the header', () => {
    const header = contentDisposition('../../evil\r\nSet-Cookie: a=b.txt', 'attachment');

    expect(header).toBe(
      `attachment; filename="evilSet-Cookie: a=b.txt"; filename*=UTF-8''evilSet-Cookie%3A%20a%3Db.txt`,
    );
  });

  it.each([
    'résumé "final".pdf',
    '\u0000\u001f\u007f.txt',
    '👨‍👩‍👧 family.jpg',
    'tab\there.csv',
    `${'ß'.repeat(400)}.pdf`,
  ])('produces a value the Fetch Headers class accepts as printable ASCII for %j', (name) => {
    const value = contentDisposition(name, 'attachment');

    expect(value).toMatch(/^[\x20-\x7e]+$/);
    expect(new Headers({ 'Content-Disposition': value }).get('content-disposition')).toBe(value);
  });
});
