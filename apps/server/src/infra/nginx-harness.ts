import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { type NginxSiteOptions, renderNginxSite } from '../../../../infra/installer/render.ts';
import { REPO_ROOT, runCommand, type Started, startProcess } from './test-processes.ts';

// nginx from apt, run by the tests as an operator would, but on loopback and high ports, with every
// file it writes inside a temporary folder: the site is infra/nginx/atum-desk.conf rendered by the
// installer's own renderer, included by a minimal nginx.conf.

/** The site template the installer renders. */
export const SITE_TEMPLATE = join(REPO_ROOT, 'infra/nginx/atum-desk.conf');

export interface Certificate {
  cert: string;
  key: string;
  /** The certificate itself, for clients to trust. */
  pem: string;
}

/** A self-signed certificate for localhost and 127.0.0.1, made with openssl. */
export async function makeCertificate(dir: string): Promise<Certificate> {
  const cert = join(dir, 'tls.crt');
  const key = join(dir, 'tls.key');
  const made = await runCommand('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-keyout',
    key,
    '-out',
    cert,
  ]);
  if (made.code !== 0) throw new Error(`openssl failed: ${made.stderr}`);
  return { cert, key, pem: await readFile(cert, 'utf8') };
}

/** Builds `dir/webroot/{portal,desk}` as the installer does: links to the built apps. */
export async function makeWebRoot(dir: string): Promise<string> {
  const webRoot = join(dir, 'webroot');
  await mkdir(webRoot, { recursive: true });
  for (const app of ['portal', 'desk']) {
    const dist = join(REPO_ROOT, 'apps', app, 'dist');
    const index = await readFile(join(dist, 'index.html'), 'utf8').catch(() => undefined);
    if (index === undefined)
      throw new Error(`apps/${app} is not built: run "turbo run build" first (npm test does)`);
    await runCommand('ln', ['-sfn', dist, join(webRoot, app)]);
  }
  return webRoot;
}

export interface NginxInstance {
  dir: string;
  site: string;
  /** `nginx -t` against the rendered configuration. */
  test(): Promise<{ code: number; stdout: string; stderr: string }>;
  start(): Promise<Started>;
}

/** Renders the site into `dir` with a minimal nginx.conf around it; nothing runs yet. */
export async function prepareNginx(dir: string, options: NginxSiteOptions): Promise<NginxInstance> {
  const template = await readFile(SITE_TEMPLATE, 'utf8');
  const site = renderNginxSite(template, options);
  for (const sub of ['logs', 'temp']) await mkdir(join(dir, sub), { recursive: true });
  await writeFile(join(dir, 'atum-desk.conf'), site);
  const temp = join(dir, 'temp');
  // As root, workers would run as nobody, who cannot read the test's folders; run them as ourselves.
  const user = process.getuid?.() === 0 ? `user ${userInfo().username};\n` : '';
  await writeFile(
    join(dir, 'nginx.conf'),
    `${user}worker_processes 1;
daemon off;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'logs/error.log')} warn;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path ${temp}/client_body;
    proxy_temp_path ${temp}/proxy;
    fastcgi_temp_path ${temp}/fastcgi;
    uwsgi_temp_path ${temp}/uwsgi;
    scgi_temp_path ${temp}/scgi;
    include ${join(dir, 'atum-desk.conf')};
}
`,
  );
  const args = ['-p', `${dir}/`, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'logs/error.log')];
  return {
    dir,
    site,
    test: () => runCommand('nginx', ['-t', ...args]),
    async start() {
      const started = startProcess('nginx', args, { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' });
      return started;
    },
  };
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
}

/** One HTTP(S) request; HTTPS trusts `ca` only. Redirects are not followed. */
export function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer | string; ca?: string } = {},
): Promise<Answer> {
  const target = new URL(url);
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: options.method ?? 'GET',
        headers: options.headers,
        ...(target.protocol === 'https:' ? { ca: options.ca, servername: 'localhost' } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A multipart/form-data body with one file in the field `file`. */
export function multipart(fileName: string, bytes: Buffer): { body: Buffer; contentType: string } {
  const boundary = `atum-${Math.random().toString(16).slice(2)}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}
