import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/** playwright-core's types, for test files in packages that do not depend on it themselves. */
export type { Browser, BrowserContext, Locator, Page } from 'playwright-core';

// Browser tests drive Debian's Chromium through playwright-core (SPEC §14): no browser is ever
// downloaded. Each launch gets a fresh temporary profile, which Playwright creates and deletes.

/** Where Debian installs Chromium; PLAYWRIGHT_CHROMIUM_PATH (passed through by turbo) overrides it. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Headless, no sandbox (tests may run as root), and nothing that phones home. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

/** The two widths every page is checked at: a small phone and a laptop. */
export const VIEWPORTS = {
  phone: { width: 360, height: 740 },
  desktop: { width: 1280, height: 800 },
} as const;

export type Viewport = { width: number; height: number };

/** Starts headless Chromium. */
export async function launchChromium(): Promise<Browser> {
  // biome-ignore lint/style/noProcessEnv: a test-only override of the browser's path
  const executablePath = process.env.PLAYWRIGHT_CHROMIUM_PATH || CHROMIUM_PATH;
  return chromium.launch({ executablePath, args: [...CHROMIUM_ARGS] });
}

export interface BrowserPage {
  context: BrowserContext;
  page: Page;
}

/**
 * A new context (its own cookies and storage: one signed-in user) at the given viewport, and a page in
 * it. `baseURL` lets tests `page.goto('/portal/')`.
 */
export async function openPage(
  browser: Browser,
  viewport: Viewport,
  options: { baseURL?: string; reducedMotion?: boolean } = {},
): Promise<BrowserPage> {
  const context = await browser.newContext({
    viewport,
    ...(options.baseURL ? { baseURL: options.baseURL } : {}),
    // Screenshots of a settled page, not of a transition half-way.
    reducedMotion: options.reducedMotion === false ? 'no-preference' : 'reduce',
  });
  const page = await context.newPage();
  return { context, page };
}

/**
 * Saves a full-page screenshot as `<dir>/test-artifacts/screenshots/<name>-<width>.png` (dir: the
 * package the tests run in) and returns its path.
 */
export async function saveScreenshot(page: Page, name: string, dir: string = process.cwd()): Promise<string> {
  const folder = join(dir, 'test-artifacts', 'screenshots');
  await mkdir(folder, { recursive: true });
  const width = page.viewportSize()?.width ?? 0;
  const path = join(folder, `${name}-${width}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** One accessibility rule the page breaks, and where. */
export interface AccessibilityViolation {
  id: string;
  impact: 'serious' | 'critical';
  help: string;
  helpUrl: string;
  /** CSS selectors of the offending elements. */
  targets: string[];
}

const require = createRequire(import.meta.url);

/**
 * Runs axe-core (injected into the page from the npm package, never fetched) on the page as it is now
 * and returns the violations of impact serious or critical; an empty array means none.
 */
export async function checkAccessibility(page: Page): Promise<AccessibilityViolation[]> {
  const { source } = require('axe-core') as { source: string };
  await page.addScriptTag({ content: source });
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: AxeLike }).axe;
    // No context: the whole document.
    const result = await axe.run({ resultTypes: ['violations'] });
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      helpUrl: violation.helpUrl,
      targets: violation.nodes.map((node) => node.target.join(' ')),
    }));
  });
  return violations.filter(
    (violation): violation is AccessibilityViolation =>
      violation.impact === 'serious' || violation.impact === 'critical',
  );
}

/** The violations as readable lines, for an assertion's message. */
export function formatViolations(violations: AccessibilityViolation[]): string {
  return violations
    .map(
      (violation) =>
        `${violation.impact} ${violation.id}: ${violation.help} (${violation.targets.join(', ')})`,
    )
    .join('\n');
}

/** The part of axe-core's API used inside the page (its own typings describe the Node side). */
interface AxeLike {
  run(options: { resultTypes: string[] }): Promise<{
    violations: {
      id: string;
      impact?: string | null;
      help: string;
      helpUrl: string;
      nodes: { target: string[] }[];
    }[];
  }>;
}
