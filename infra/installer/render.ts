// Pure pieces of the installer: rendering the nginx site and reading and writing the environment files.
// No I/O here, so the tests render exactly what infra/install.sh installs. Node built-ins only: this
// runs from a release folder whose node_modules hold only the root package's tools.

/** What the nginx site template needs (infra/nginx/atum-desk.conf). */
export interface NginxSiteOptions {
  /** Host names the site answers to; the first is the canonical one (redirects, the CSP's wss:). */
  serverNames: string[];
  /** `listen` addresses for plain HTTP, e.g. `80` and `[::]:80`, or `127.0.0.1:8080` in a test. */
  httpListen: string[];
  /** `listen` addresses for HTTPS, e.g. `443` and `[::]:443`. */
  httpsListen: string[];
  /** The public HTTPS port, for redirects (443 adds nothing to the URL). */
  httpsPort: number;
  tlsCertificate: string;
  tlsKey: string;
  /** Loopback ports of the server instances. */
  upstreamPorts: number[];
  /** A folder holding `portal/` and `desk/` (the built apps). */
  webRoot: string;
  logDir: string;
  /** The server's ATUM_MAX_UPLOAD_BYTES. */
  maxUploadBytes: number;
}

const MIB = 1024 * 1024;
const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const LISTEN = /^(?:\d{1,5}|(?:\d{1,3}\.){3}\d{1,3}:\d{1,5}|\[[0-9a-fA-F:]+\]:\d{1,5})$/;
const SAFE_PATH = /^\/[A-Za-z0-9._/-]*$/;

/**
 * The nginx request-body limit for uploads: the server's file limit plus one MiB for the multipart
 * framing and the other form fields, in whole MiB as nginx writes sizes.
 */
export function uploadBodyLimit(maxUploadBytes: number): string {
  return `${Math.ceil(maxUploadBytes / MIB) + 1}m`;
}

/** Ports of `instances` server processes: the first instance's port and the ones after it. */
export function serverPorts(instances: number, firstPort = 3000): number[] {
  if (!Number.isInteger(instances) || instances < 1 || instances > 64) {
    throw new Error(`--instances: expected 1 to 64, got ${instances}`);
  }
  return Array.from({ length: instances }, (_, index) => firstPort + index);
}

/** Fills every {{PLACEHOLDER}} of the site template; throws on a bad value or a placeholder left over. */
export function renderNginxSite(template: string, options: NginxSiteOptions): string {
  const [primary] = options.serverNames;
  if (!primary) throw new Error('nginx site: at least one server name is needed');
  for (const name of options.serverNames) {
    if (!HOST_NAME.test(name)) throw new Error(`nginx site: ${JSON.stringify(name)} is not a host name`);
  }
  for (const address of [...options.httpListen, ...options.httpsListen]) {
    if (!LISTEN.test(address))
      throw new Error(`nginx site: ${JSON.stringify(address)} is not a listen address`);
  }
  for (const path of [options.tlsCertificate, options.tlsKey, options.webRoot, options.logDir]) {
    if (!SAFE_PATH.test(path))
      throw new Error(`nginx site: ${JSON.stringify(path)} is not a plain absolute path`);
  }
  if (options.upstreamPorts.length === 0) throw new Error('nginx site: no server instance to proxy to');
  const values: Record<string, string> = {
    UPSTREAM_SERVERS: options.upstreamPorts
      .map((port) => `    server 127.0.0.1:${port} max_fails=3 fail_timeout=10s;`)
      .join('\n'),
    HTTP_LISTEN: options.httpListen.map((address) => `    listen ${address};`).join('\n'),
    HTTPS_LISTEN: options.httpsListen.map((address) => `    listen ${address} ssl http2;`).join('\n'),
    SERVER_NAMES: options.serverNames.join(' '),
    PRIMARY_NAME: primary,
    HTTPS_PORT_SUFFIX: options.httpsPort === 443 ? '' : `:${options.httpsPort}`,
    TLS_CERT: options.tlsCertificate,
    TLS_KEY: options.tlsKey,
    WEB_ROOT: options.webRoot,
    LOG_DIR: options.logDir,
    UPLOAD_BODY_LIMIT: uploadBodyLimit(options.maxUploadBytes),
  };
  const rendered = template.replace(/\{\{([A-Z_]+)\}\}/g, (match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`nginx site template: unknown placeholder ${match}`);
    return value;
  });
  return rendered;
}

/**
 * Reads an environment file as systemd's EnvironmentFile= does for the simple form the installer
 * writes: `KEY=value` lines, `#` comments, blank lines, optional surrounding single or double quotes.
 */
export function parseEnvFile(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    let value = match[2] ?? '';
    const quoted = /^(['"])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2] ?? '';
    entries.set(match[1] as string, value);
  }
  return entries;
}

/** One setting the installer manages: written when missing, never overwritten once there. */
export interface EnvSetting {
  key: string;
  value: string;
  /** Shown as a comment above it in a new file. */
  comment: string;
}

/**
 * The environment file after this install: the existing text untouched (the operator's edits and the
 * generated secrets stay), with any setting it lacks appended. A value must fit on one line unquoted.
 */
export function mergeEnvFile(existing: string | undefined, settings: EnvSetting[], header: string): string {
  for (const setting of settings) {
    if (!/^[A-Z_][A-Z0-9_]*$/.test(setting.key)) throw new Error(`env: bad key ${setting.key}`);
    if (/[\n\r"'\\]|^\s|\s$/.test(setting.value)) {
      throw new Error(
        `env: the value of ${setting.key} needs quoting; the installer writes plain values only`,
      );
    }
  }
  const present = parseEnvFile(existing ?? '');
  const missing = settings.filter((setting) => !present.has(setting.key));
  const lines = missing.flatMap((setting) => [`# ${setting.comment}`, `${setting.key}=${setting.value}`]);
  if (existing === undefined) return `${header}\n${lines.join('\n')}\n`;
  if (missing.length === 0) return existing;
  const separator = existing.endsWith('\n') ? '' : '\n';
  return `${existing}${separator}\n# Added by infra/install.sh on upgrade:\n${lines.join('\n')}\n`;
}

/** The password inside a postgres:// URL, if the URL parses and has one. */
export function passwordOf(databaseUrl: string | undefined): string | undefined {
  if (!databaseUrl || !URL.canParse(databaseUrl)) return undefined;
  const password = decodeURIComponent(new URL(databaseUrl).password);
  return password === '' ? undefined : password;
}

/** A postgres:// URL for `role` with `password` on a local server. */
export function databaseUrlFor(role: string, password: string, port: number, database: string): string {
  return `postgres://${role}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

/** What an installed site was rendered with, so that running the installer again keeps it. */
export interface RenderedSiteSettings {
  serverNames?: string[];
  tlsCertificate?: string;
  tlsKey?: string;
  upstreamPorts?: number[];
  httpPort?: number;
  httpsPort?: number;
}

/** Reads the settings back from a site this renderer wrote; anything it cannot find stays undefined. */
export function readRenderedSite(site: string): RenderedSiteSettings {
  const first = (pattern: RegExp) => pattern.exec(site)?.[1];
  const ports = [...site.matchAll(/^\s*server 127\.0\.0\.1:(\d+) /gm)].map((match) => Number(match[1]));
  const names = first(/^\s*server_name ([^;]+);/m);
  const httpsPort = first(/^\s*listen (?:[\d.]+:)?(\d+) ssl/m);
  const httpPort = first(/^\s*listen (?:[\d.]+:)?(\d+);/m);
  return {
    ...(names ? { serverNames: names.trim().split(/\s+/) } : {}),
    ...(first(/^\s*ssl_certificate (\S+);/m) ? { tlsCertificate: first(/^\s*ssl_certificate (\S+);/m) } : {}),
    ...(first(/^\s*ssl_certificate_key (\S+);/m) ? { tlsKey: first(/^\s*ssl_certificate_key (\S+);/m) } : {}),
    ...(ports.length > 0 ? { upstreamPorts: ports } : {}),
    ...(httpPort ? { httpPort: Number(httpPort) } : {}),
    ...(httpsPort ? { httpsPort: Number(httpsPort) } : {}),
  };
}
