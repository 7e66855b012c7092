import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, inject } from "vitest";
import { E2E_PASSWORD } from "../setup/e2e-server";
import { axeViolations, formatViolations } from "./a11y";

/** The demo accounts' password on the e2e server. */
export const PASSWORD = E2E_PASSWORD;

// Flags for headless Chromium on a machine with no network beyond loopback.
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const baseUrl = () => inject("baseUrl");

/**
 * Chromium for one test file. Every context it opens — through `newPage` or
 * `browser.newContext()` — gets the accessibility check (see `watchA11y`).
 */
export async function launch(): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: inject("chromiumPath"), headless: true, args: ARGS });
  const newContext = browser.newContext.bind(browser);
  let viewer: Promise<Viewer> | undefined;
  browser.newContext = async (options) => {
    const context = await newContext(options);
    const scriptless = options?.javaScriptEnabled === false;
    await watchA11y(context, scriptless ? () => (viewer ??= openViewer(newContext)) : undefined);
    return context;
  };
  return browser;
}

// ---------------------------------------------------------------------------
// Accessibility: axe-core's WCAG 2.2 AA rules over every page a test visits,
// once per path and role (per test file). A check starts when the page
// navigates (a new document or a client-side route change), and the page is
// not left before it ends: its next data or form request (client-side
// navigation) and the test's next goto/reload/close wait for it. Violations fail
// the test that visited the page (in afterEach), listed by rule, impact and
// target.

/** Checks still running (or queued) per page. */
const pending = new Map<Page, Promise<void>>();
/** "path as role" keys already checked in this file. */
const checked = new Set<string>();
/** Paths (or keys) whose check a navigation or a closed page cut short (reported with A11Y_REPORT=1). */
const interrupted = new Set<string>();
/** Violations (and broken checks) not yet reported to a test. */
const found: string[] = [];
/** Time spent running axe in this file (reported with A11Y_REPORT=1). */
let axeMs = 0;

const CHECK_MS = 20_000;
const REMIX_DATA = /\.data(\?|$)/;

function isInterruption(error: unknown): boolean {
  return /destroyed|closed|navigat|detached/i.test(String(error));
}

/** Who the page shows as signed in ("signed out" when nobody is), and its path. */
async function whereAndWho(page: Page): Promise<string> {
  return page.evaluate(() => {
    const roles = document.querySelector('[data-testid="who"] .muted')?.textContent?.replace(/[()]/g, "").trim();
    return `${location.pathname} as ${roles || "signed out"}`;
  });
}

/**
 * Shows a copy of a page in a scripted browser context whose CSP forbids every
 * script of the page. axe needs timers, which do not run where JavaScript is
 * switched off; the copy is what a browser without JavaScript shows.
 */
type Viewer = (source: Page) => Promise<Page>;

async function openViewer(newContext: Browser["newContext"]): Promise<Viewer> {
  const context = await newContext();
  const page = await context.newPage();
  let html = "";
  await context.route("**/*", (route) =>
    route.request().isNavigationRequest()
      ? route.fulfill({ contentType: "text/html; charset=utf-8", headers: { "Content-Security-Policy": "script-src 'none'" }, body: html })
      : route.fallback(),
  );
  let queue = Promise.resolve();
  return (source) => {
    const shown = queue.then(async () => {
      html = await source.content();
      await page.goto(source.url());
      return page;
    });
    queue = shown.then(
      () => undefined,
      () => undefined,
    );
    return shown;
  };
}

/** Contexts without JavaScript, and how to show their pages to axe. */
const viewers = new Map<BrowserContext, () => Promise<Viewer>>();

async function checkPage(page: Page): Promise<void> {
  if (page.isClosed() || !/^https?:/.test(page.url())) return;
  let key = new URL(page.url()).pathname;
  try {
    await page.waitForLoadState("load");
    const viewer = viewers.get(page.context());
    // Let a client-side route change finish rendering (the data it waited for has arrived).
    if (!viewer) await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
    key = await whereAndWho(page);
    if (checked.has(key)) return;
    const started = performance.now();
    const violations = await axeViolations(viewer ? await (await viewer())(page) : page);
    axeMs += performance.now() - started;
    checked.add(key);
    if (violations.length > 0) found.push(formatViolations(key, violations));
  } catch (error) {
    if (isInterruption(error)) interrupted.add(key);
    else found.push(`${key}\n  the accessibility check failed: ${String(error)}`);
  }
}

/** Runs a check, giving up (as cut short) after CHECK_MS so that no test waits forever. */
function checkWithin(page: Page): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      interrupted.add(new URL(page.url()).pathname);
      resolve();
    }, CHECK_MS);
  });
  return Promise.race([checkPage(page), timeout]).finally(() => clearTimeout(timer));
}

function schedule(page: Page) {
  const next = (pending.get(page) ?? Promise.resolve()).then(() => checkWithin(page));
  pending.set(page, next);
}

/** Resolves when the page's checks so far have finished. */
function settled(page: Page): Promise<void> {
  return pending.get(page) ?? Promise.resolve();
}

// Methods that leave the page for a new document (or close it): they wait for the page's check first.
// (The page's own requests for a new document cannot be held instead: while
// one is in flight, Chromium runs nothing in the old document.)
const LEAVING = ["goto", "reload", "goBack", "goForward", "close"] as const;

function watchPage(page: Page) {
  if (pending.has(page)) return;
  pending.set(page, Promise.resolve());
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame()) schedule(page);
  });
  page.on("close", () => pending.delete(page));
  for (const name of LEAVING) {
    const original = page[name].bind(page) as (...args: unknown[]) => Promise<unknown>;
    (page as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      await settled(page);
      return original(...args);
    };
  }
}

/**
 * Adds the accessibility check to every page of a context. A context without
 * JavaScript names a viewer that shows its pages where axe can run.
 */
export async function watchA11y(context: BrowserContext, scriptless?: () => Promise<Viewer>): Promise<void> {
  if (scriptless) viewers.set(context, scriptless);
  context.on("close", () => viewers.delete(context));
  context.on("page", watchPage);
  for (const page of context.pages()) watchPage(page);
  // Closing the context is leaving its pages too.
  const close = context.close.bind(context);
  context.close = async (options) => {
    await Promise.all(context.pages().map(settled));
    return close(options);
  };
  // Remix's data and form requests (`/path.data`, single fetch) are what a client-side navigation
  // waits for: they wait for the check of the page they leave. Nothing else is intercepted.
  await context.route(REMIX_DATA, async (route) => {
    let page: Page | undefined;
    try {
      page = route.request().frame().page();
    } catch {
      // A request with no frame (e.g. a service worker's) has nothing to wait for.
    }
    if (page) await settled(page);
    await route.fallback();
  });
}

/** Waits until every page's accessibility check has finished. */
export async function a11yIdle(): Promise<void> {
  await Promise.all(pending.values());
}

/** The "path as role" pages checked so far in this file. */
export function a11yChecked(): string[] {
  return [...checked];
}

// ---------------------------------------------------------------------------

/** A page that records console errors, page errors and CSP violations. */
export async function newPage(browser: Browser): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ baseURL: baseUrl() });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  return { page, problems };
}

export async function signIn(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/**
 * One Chromium per test file, launched before its tests and closed after.
 * After each test, the accessibility violations its pages showed fail it.
 */
export function browserPerFile(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launch();
  });
  afterEach(async () => {
    await a11yIdle();
    const problems = found.splice(0);
    if (problems.length > 0) {
      throw new Error(`Accessibility violations (axe-core, WCAG 2.2 AA):\n${problems.join("\n")}`);
    }
  });
  afterAll(async () => {
    await browser?.close();
    if (process.env.A11Y_REPORT) {
      const missed = [...interrupted].filter((k) => ![...checked].some((c) => c === k || c.startsWith(`${k} as `)));
      console.log(`a11y: checked ${checked.size} pages in ${(axeMs / 1000).toFixed(1)} s:\n  ${[...checked].join("\n  ")}`);
      if (missed.length) console.log(`a11y: cut short:\n  ${missed.join("\n  ")}`);
    }
  });
  return () => {
    if (!browser) throw new Error("the browser is not running yet");
    return browser;
  };
}
