import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { startTestApp, type TestApp } from "./start-test-app.ts";

/** Debian's Chromium, installed by .ci/install-browser; playwright-core drives it (no browser download). */
export const CHROMIUM_PATH = "/usr/bin/chromium";
export const ARTIFACTS_DIR = fileURLToPath(new URL("../../test-artifacts/", import.meta.url));
const DIST_WEB = fileURLToPath(new URL("../../dist/web/", import.meta.url));

/** A phone-sized screen: the narrowest the widget promises to work on. */
export const PHONE: BrowserContextOptions = { viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
export const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };

/**
 * Launch headless Chromium once per test file (contexts are cheap, browsers are not). Fails with
 * what to do when Chromium or the built browser apps are missing, instead of a timeout later.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium is not at ${CHROMIUM_PATH}: run \`bash .ci/install-browser\` (Debian's chromium package).`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** Throw unless `npm run build` has built this app into dist/web (npm test does it in pretest). */
export function requireBuilt(app: string): void {
  if (!existsSync(`${DIST_WEB}${app}`)) throw new Error(`dist/web/${app} is missing: run \`npm run build\` first (npm test runs it for you).`);
}

/** A fresh context (own storage, cookies, cache) and page for one test; close the context after it. */
export async function newPage(browser: Browser, options: BrowserContextOptions = {}): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ ...DESKTOP, ...options });
  const page = await context.newPage();
  // Uncaught errors in the page or any of its frames fail the test that looks at them.
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  return { context, page, errors };
}

/** Save a PNG under test-artifacts/ (git-ignored) and return its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const path = `${ARTIFACTS_DIR}${name}.png`;
  await page.screenshot({ path, animations: "disabled", caret: "hide" });
  return path;
}

/**
 * Wait for what the shopper should see: poll until the assertion holds. The limit is generous
 * (expect.poll's own is one second) because a loaded CI machine runs several browsers at once;
 * it only ever decides how long a failing test takes, never whether a working one passes.
 */
export function eventually<T>(read: () => T | Promise<T>, timeout = 20_000) {
  return expect.poll(read, { timeout, interval: 50 });
}

/** A page opened for one test: its context (own storage, cookies, cache) and the errors it threw. */
export type OpenedPage = Awaited<ReturnType<typeof newPage>>;

/**
 * The setup every browser test file shares: one Chromium for the file (after checking the apps it
 * needs are built), fresh contexts for a test, closed after it, and the servers a test starts,
 * closed after it newest first (a restarted server shares its data folder with the first); a
 * server started with scope "file" is closed after the whole file.
 */
export function browserSuite(apps: string[]) {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const servers = { test: [] as TestApp[], file: [] as TestApp[] };
  beforeAll(async () => {
    for (const app of apps) requireBuilt(app);
    browser = await launchBrowser();
  });
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
    for (const server of servers.test.splice(0).reverse()) await server.close();
  });
  afterAll(async () => {
    for (const server of servers.file.splice(0).reverse()) await server.close();
    await browser?.close();
  });
  return {
    get browser(): Browser {
      if (!browser) throw new Error("the browser starts in beforeAll");
      return browser;
    },
    async open(options: BrowserContextOptions = {}): Promise<OpenedPage> {
      const opened = await newPage(this.browser, options);
      contexts.push(opened.context);
      return opened;
    },
    async start(options: Parameters<typeof startTestApp>[0], scope: "test" | "file" = "test"): Promise<TestApp> {
      const server = await startTestApp(options);
      servers[scope].push(server);
      return server;
    },
  };
}
