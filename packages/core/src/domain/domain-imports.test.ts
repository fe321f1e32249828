import { readdir, readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// @atum-desk/core/domain is bundled into the portal and the desk: it must not reach Node or the
// server side, directly or through a package that does.
const DOMAIN_DIR = dirname(fileURLToPath(import.meta.url));
const ALLOWED_PACKAGES = new Set(['zod', 'temporal-polyfill']);
const NODE_BUILTINS = new Set(builtinModules);

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

function importSpecifiers(source: string): string[] {
  const pattern =
    /(?:^|\s)(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  return [...source.matchAll(pattern)].map((match) => match[1] ?? match[2] ?? '');
}

/** Why a specifier is not allowed in the domain, or undefined if it is. */
function forbiddenReason(file: string, specifier: string): string | undefined {
  if (specifier.startsWith('node:') || NODE_BUILTINS.has(specifier.split('/')[0] ?? ''))
    return 'Node built-in';
  if (specifier.startsWith('.')) {
    const target = resolve(dirname(file), specifier);
    return relative(DOMAIN_DIR, target).startsWith('..') ? 'outside the domain folder' : undefined;
  }
  const name = specifier.startsWith('@')
    ? specifier.split('/').slice(0, 2).join('/')
    : specifier.split('/')[0];
  return ALLOWED_PACKAGES.has(name ?? '')
    ? undefined
    : `package ${name} is not on the domain's browser-safe list`;
}

describe('the domain entry', () => {
  it('imports nothing from Node, the server side or unlisted packages', async () => {
    const problems: string[] = [];
    for (const file of await sourceFiles(DOMAIN_DIR)) {
      for (const specifier of importSpecifiers(await readFile(file, 'utf8'))) {
        const reason = forbiddenReason(file, specifier);
        if (reason) problems.push(`${relative(DOMAIN_DIR, file)}: ${specifier} (${reason})`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('would catch a Node import, a server import and an unlisted package', () => {
    const file = join(DOMAIN_DIR, 'tickets', 'x.ts');
    expect(forbiddenReason(file, 'node:fs')).toBe('Node built-in');
    expect(forbiddenReason(file, 'crypto')).toBe('Node built-in');
    expect(forbiddenReason(file, '../../server/db/orm.ts')).toBe('outside the domain folder');
    expect(forbiddenReason(file, '@mikro-orm/core')).toMatch(/not on the domain's browser-safe list/);
    expect(forbiddenReason(file, '../auth/roles.ts')).toBeUndefined();
    expect(forbiddenReason(file, 'zod')).toBeUndefined();
  });
});
