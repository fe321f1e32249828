import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { crc32, deflateSync } from 'node:zlib';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DomainError } from '../../domain/errors.ts';
import {
  removeStoredUpload,
  SNIFF_BYTES,
  type StoreUploadOptions,
  storedUploadPath,
  storeUpload,
  uploadStorageKey,
} from './attachment-storage.ts';

const ORG = uuidv7();
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let sandbox: string;
let uploadsDir: string;

beforeEach(async () => {
  // The sandbox holds the uploads dir, so a file escaping it would still be found and cleaned up.
  sandbox = await mkdtemp(path.join(tmpdir(), 'atum-attachments-'));
  uploadsDir = path.join(sandbox, 'uploads');
});

afterEach(async () => {
  await rm(sandbox, { recursive: true, force: true });
});

function options(fileName: string, overrides: Partial<StoreUploadOptions> = {}): StoreUploadOptions {
  return { uploadsDir, organizationId: ORG, maxBytes: 1024 * 1024, fileName, ...overrides };
}

async function* chunksOf(bytes: Uint8Array, size = 1000): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.slice(offset, offset + size);
}

/** Every file under the sandbox, relative to it. */
async function filesInSandbox(): Promise<string[]> {
  const entries = await readdir(sandbox, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(sandbox, path.join(entry.parentPath, entry.name)))
    .sort();
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function bytesOf(...parts: (string | Uint8Array | number[])[]): Buffer {
  return Buffer.concat(
    parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part))),
  );
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = bytesOf(type, data);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A valid 1×1 grey PNG. */
function tinyPng(): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0); // width
  header.writeUInt32BE(1, 4); // height
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  return Buffer.concat([
    bytesOf([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(Buffer.from([0, 0x80]))),
    pngChunk('IEND', new Uint8Array()),
  ]);
}

function tinyPdf(): Buffer {
  return Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
}

/** A ZIP of stored (uncompressed) entries, enough structure for file-type's ZIP reader. */
function zipOf(entries: { name: string; data: Uint8Array }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt32LE(crc32(entry.data), 14);
    local.writeUInt32LE(entry.data.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc32(entry.data), 16);
    central.writeUInt32LE(entry.data.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, Buffer.from(entry.data));
    centrals.push(central, name);
    offset += local.length + name.length + entry.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const DOCX_CONTENT_TYPES = Buffer.from(
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
);
const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** The header of a Compound File Binary container (legacy Office, MSI), padded to one sector. */
function cfbHeader(): Buffer {
  return bytesOf([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], new Array(504).fill(0));
}

async function expectDomainError(promise: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe(code);
  if (message) expect((error as DomainError).message).toMatch(message);
}

describe('storeUpload', () => {
  it('stores a PNG under <uploadsDir>/<org>/<uuid> with its size, SHA-256 and type', async () => {
    const png = tinyPng();

    const stored = await storeUpload(chunksOf(png, 7), options('cat.png'));

    expect(stored.mimeType).toBe('image/png');
    expect(stored.sizeBytes).toBe(png.length);
    expect(stored.sha256).toBe(sha256(png));
    expect(stored.id).toMatch(UUID_PATTERN);
    expect(stored.storageKey).toBe(`${ORG}/${stored.id}`);
    expect(stored.absolutePath).toBe(path.join(uploadsDir, ORG, stored.id));
    expect(await readFile(stored.absolutePath)).toEqual(png);
    expect(await filesInSandbox()).toEqual([path.join('uploads', ORG, stored.id)]);
  });

  it('creates the file readable by its owner only', async () => {
    const stored = await storeUpload(chunksOf(tinyPng()), options('cat.png'));

    expect((await stat(stored.absolutePath)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(stored.absolutePath))).isDirectory()).toBe(true);
  });

  it('accepts a Node readable stream as the source', async () => {
    const pdf = tinyPdf();

    const stored = await storeUpload(
      Readable.from([pdf.subarray(0, 10), pdf.subarray(10)]),
      options('a.pdf'),
    );

    expect(stored.mimeType).toBe('application/pdf');
    expect(await readFile(stored.absolutePath)).toEqual(pdf);
  });

  it.each([
    ['a PDF', tinyPdf(), 'report.pdf', 'application/pdf'],
    ['an empty ZIP archive', bytesOf('PK\x05\x06', new Array(18).fill(0)), 'logs.zip', 'application/zip'],
    [
      'a docx',
      zipOf([
        { name: '[Content_Types].xml', data: DOCX_CONTENT_TYPES },
        { name: 'word/document.xml', data: Buffer.from('<w:document/>') },
      ]),
      'letter.docx',
      DOCX_MIME,
    ],
    ['a UTF-8 text file', Buffer.from('Grüße aus Köln — 你好 🎉\nline two\n'), 'notes.txt', 'text/plain'],
    ['a CSV file', Buffer.from('name,amount\n"Müller, Anna",12.50\n'), 'export.csv', 'text/csv'],
    ['a legacy .doc', cfbHeader(), 'minutes.doc', 'application/msword'],
    ['a legacy .xls', cfbHeader(), 'budget.XLS', 'application/vnd.ms-excel'],
    ['a legacy .ppt', cfbHeader(), 'deck.ppt', 'application/vnd.ms-powerpoint'],
    [
      'a text file starting "BM", which is no bitmap',
      Buffer.from('BMW service report\nall good\n'),
      'car.txt',
      'text/plain',
    ],
    [
      'an XML export, as plain text',
      Buffer.from('<?xml version="1.0"?><config a="1"/>'),
      'config.xml',
      'text/plain',
    ],
    // Served as text/plain with nosniff, so the browser shows the script instead of running it.
    [
      'HTML named .txt, as plain text',
      Buffer.from('<html><script>alert(1)</script></html>'),
      'page.txt',
      'text/plain',
    ],
  ])('stores %s', async (_label, bytes, fileName, mimeType) => {
    const stored = await storeUpload(chunksOf(bytes), options(fileName));

    expect(stored.mimeType).toBe(mimeType);
    expect(stored.sha256).toBe(sha256(bytes));
    expect(await readFile(stored.absolutePath)).toEqual(bytes);
  });

  it('recognises a docx whose content types entry lies past the sniffed window', async () => {
    const docx = zipOf([
      // Word puts a thumbnail here; its name says nothing about the archive being a docx.
      { name: 'docProps/thumbnail.jpeg', data: randomBytes(SNIFF_BYTES * 2) },
      { name: '[Content_Types].xml', data: DOCX_CONTENT_TYPES },
    ]);

    const stored = await storeUpload(chunksOf(docx, 16 * 1024), options('scan.docx'));

    expect(stored.mimeType).toBe(DOCX_MIME);
    expect(stored.sizeBytes).toBe(docx.length);
  });

  it('refuses a Java archive whose manifest lies past the sniffed window, leaving no file', async () => {
    const jar = zipOf([
      { name: 'assets/padding.bin', data: randomBytes(SNIFF_BYTES * 2) },
      { name: 'META-INF/MANIFEST.MF', data: Buffer.from('Manifest-Version: 1.0\n') },
    ]);

    await expectDomainError(
      storeUpload(chunksOf(jar, 16 * 1024), options('tools.zip')),
      'UNSUPPORTED_MEDIA_TYPE',
      /application\/java-archive/,
    );
    expect(await filesInSandbox()).toEqual([]);
  });

  it('accepts text whose multi-byte characters are split across chunks', async () => {
    const text = Buffer.from('€'.repeat(50_000));

    const stored = await storeUpload(chunksOf(text, 1001), options('euros.txt'));

    expect(stored.mimeType).toBe('text/plain');
    expect(stored.sizeBytes).toBe(text.length);
  });

  it('accepts a file of exactly the size limit', async () => {
    const text = Buffer.from('x'.repeat(5000));

    const stored = await storeUpload(chunksOf(text), options('x.txt', { maxBytes: 5000 }));

    expect(stored.sizeBytes).toBe(5000);
  });

  it('refuses a file over the size limit as soon as it passes it, leaving no file', async () => {
    let pulled = 0;
    async function* endless(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 10_000; i++) {
        pulled++;
        yield Buffer.alloc(1024, 'a');
      }
    }

    await expectDomainError(
      storeUpload(endless(), options('big.txt', { maxBytes: 10 * 1024 })),
      'PAYLOAD_TOO_LARGE',
      /larger than 10240 bytes/,
    );
    expect(pulled).toBe(11);
    expect(await filesInSandbox()).toEqual([]);
  });

  it.each([
    [
      'an ELF binary named cat.png',
      bytesOf('\x7fELF', [2, 1, 1], new Array(200).fill(0)),
      'cat.png',
      'application/x-elf',
    ],
    [
      'a Windows executable',
      bytesOf('MZ', [0x90, 0, 3, 0, 0, 0, 4, 0], new Array(200).fill(0)),
      'invoice.pdf',
      'application/x-msdownload',
    ],
    [
      'binary garbage with NULs named .txt',
      bytesOf(randomBytes(300), [0, 0, 0], randomBytes(300)),
      'notes.txt',
      'application/octet-stream',
    ],
    ['a CFB container not named as legacy Office', cfbHeader(), 'setup.msi', 'application/x-cfb'],
    [
      'a macro-enabled Word document',
      zipOf([
        {
          name: '[Content_Types].xml',
          data: Buffer.from('ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"'),
        },
      ]),
      'evil.docx',
      'application/vnd.ms-word.document.macroenabled.12',
    ],
    ['PostScript', Buffer.from('%!PS-Adobe-3.0\nshowpage\n'), 'print.txt', 'application/postscript'],
    [
      'a UTF-16 text file (NUL bytes)',
      Buffer.from('\ufeffhello', 'utf16le'),
      'utf16.txt',
      'application/octet-stream',
    ],
  ])(
    'refuses %s as an unsupported media type, leaving no file',
    async (_label, bytes, fileName, detected) => {
      await expectDomainError(
        storeUpload(chunksOf(bytes), options(fileName)),
        'UNSUPPORTED_MEDIA_TYPE',
        new RegExp(detected.replaceAll('.', '\\.')),
      );
      expect(await filesInSandbox()).toEqual([]);
    },
  );

  it('refuses an executable after the sniffed window without reading the rest', async () => {
    let pulled = 0;
    async function* elf(): AsyncGenerator<Uint8Array> {
      pulled++;
      yield bytesOf('\x7fELF', [2, 1, 1], new Array(1017).fill(0));
      for (let i = 0; i < 1000; i++) {
        pulled++;
        yield Buffer.alloc(1024);
      }
    }

    await expectDomainError(storeUpload(elf(), options('cat.png')), 'UNSUPPORTED_MEDIA_TYPE');
    expect(pulled).toBe(SNIFF_BYTES / 1024);
    expect(await filesInSandbox()).toEqual([]);
  });

  it('refuses text with a NUL byte after the sniffed window', async () => {
    const bytes = bytesOf('a'.repeat(SNIFF_BYTES * 2), [0], 'tail');

    await expectDomainError(storeUpload(chunksOf(bytes, 4096), options('log.txt')), 'UNSUPPORTED_MEDIA_TYPE');
    expect(await filesInSandbox()).toEqual([]);
  });

  it('refuses text that is not UTF-8 after the sniffed window', async () => {
    const bytes = bytesOf('a'.repeat(SNIFF_BYTES + 10), [0xff, 0xfe], 'tail');

    await expectDomainError(storeUpload(chunksOf(bytes, 4096), options('log.txt')), 'UNSUPPORTED_MEDIA_TYPE');
    expect(await filesInSandbox()).toEqual([]);
  });

  it('refuses text that ends in the middle of a character', async () => {
    const bytes = Buffer.from('price: €').subarray(0, -1);

    await expectDomainError(storeUpload(chunksOf(bytes), options('price.txt')), 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('refuses an empty file, leaving no file', async () => {
    await expectDomainError(
      storeUpload(chunksOf(Buffer.alloc(0)), options('empty.png')),
      'VALIDATION',
      /the file is empty/,
    );
    expect(await filesInSandbox()).toEqual([]);
  });

  it('leaves no file when the source fails midway', async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield tinyPng();
      yield Buffer.alloc(1000);
      throw new Error('connection reset');
    }

    await expect(storeUpload(failing(), options('cat.png'))).rejects.toThrow('connection reset');
    expect(await filesInSandbox()).toEqual([]);
  });

  it('leaves no file when a Node stream is destroyed midway', async () => {
    const stream = new Readable({ read() {} });
    stream.push(tinyPng());
    // Destroyed once the upload listens for the stream's errors: destroyed before that (a slow start on
    // a busy machine), the error would be an uncaught one instead of the upload's.
    const destroyWhenHeard = (event: string | symbol) => {
      if (event !== 'error') return;
      stream.off('newListener', destroyWhenHeard);
      setTimeout(() => stream.destroy(new Error('client went away')), 10);
    };
    stream.on('newListener', destroyWhenHeard);

    await expect(storeUpload(stream, options('cat.png'))).rejects.toThrow('client went away');
    expect(await filesInSandbox()).toEqual([]);
  });

  it('stops and leaves no file when the signal aborts while the source is waiting', async () => {
    const controller = new AbortController();
    const stream = new Readable({ read() {} });
    stream.push(tinyPng());
    setTimeout(() => controller.abort(), 10);

    await expect(storeUpload(stream, options('cat.png', { signal: controller.signal }))).rejects.toThrow(
      /abort/i,
    );
    expect(stream.destroyed).toBe(true);
    expect(await filesInSandbox()).toEqual([]);
  });

  it('refuses a stream that yields strings instead of bytes', async () => {
    const stream = Readable.from(['hello']);

    await expect(storeUpload(stream, options('a.txt'))).rejects.toThrow(/must yield bytes/);
    expect(await filesInSandbox()).toEqual([]);
  });

  it('refuses an organization id that is not a UUID with a plain error', async () => {
    const result = storeUpload(chunksOf(tinyPng()), options('cat.png', { organizationId: '../../etc' }));

    await expect(result).rejects.toThrow(/organizationId must be a UUID/);
    await expect(result).rejects.not.toBeInstanceOf(DomainError);
    expect(await filesInSandbox()).toEqual([]);
  });

  it.each(['../../etc/passwd', '..\\..\\boot.ini', '/etc/passwd', `../${ORG}/x`])(
    'never lets the name %s influence the stored path',
    async (fileName) => {
      const stored = await storeUpload(chunksOf(Buffer.from('root:x:0:0\n')), options(fileName));

      expect(stored.absolutePath).toBe(path.join(uploadsDir, ORG, stored.id));
      expect(stored.mimeType).toBe('text/plain');
      expect(await filesInSandbox()).toEqual([path.join('uploads', ORG, stored.id)]);
    },
  );
});

describe('storedUploadPath', () => {
  it('finds a stored upload from its key', async () => {
    const stored = await storeUpload(chunksOf(tinyPng()), options('cat.png'));

    expect(storedUploadPath(uploadsDir, stored.storageKey)).toBe(stored.absolutePath);
    expect(storedUploadPath(uploadsDir, uploadStorageKey(ORG.toUpperCase(), stored.id))).toBe(
      stored.absolutePath,
    );
  });

  it.each([
    '../x/y',
    'org/../../etc',
    `${ORG}/../../etc/passwd`,
    `${ORG}/..`,
    `${ORG}/${uuidv7()}/extra`,
    `${ORG}/${uuidv7()}.part`,
    `/${ORG}/${uuidv7()}`,
    `${ORG}\\${uuidv7()}`,
    '',
  ])('rejects the storage key %j', (storageKey) => {
    expect(() => storedUploadPath(uploadsDir, storageKey)).toThrow(/storage key/);
  });
});

describe('removeStoredUpload', () => {
  it('deletes a stored upload and does nothing the second time', async () => {
    const stored = await storeUpload(chunksOf(tinyPng()), options('cat.png'));

    await removeStoredUpload(stored.absolutePath);
    await removeStoredUpload(stored.absolutePath);

    expect(await filesInSandbox()).toEqual([]);
  });

  it('refuses a path that is not a stored upload', async () => {
    const victim = path.join(sandbox, 'keep-me.txt');
    await writeFile(victim, 'precious');

    await expect(removeStoredUpload(victim)).rejects.toThrow(/not a stored upload path/);
    await expect(removeStoredUpload(`relative/${uuidv7()}`)).rejects.toThrow(/not a stored upload path/);
    expect(await readFile(victim, 'utf8')).toBe('precious');
  });
});
