import { getQuery, queryPath } from "../harness/trpc-http.js";
import { execFileSync } from "node:child_process";
import { chromium } from "playwright-core";
import { webSizeScript } from "../harness/paths.js";
import { median } from "../harness/stats.js";
import type { Figure } from "../report.js";

export const chromiumPath = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** The gzipped JavaScript per route, as the web client's own size script reports it (KiB). */
export function webJavaScriptKiB(): { signIn: number; inbox: number; output: string } {
  let output: string;
  try {
    output = execFileSync(process.execPath, [webSizeScript, "--budget=100000"], { encoding: "utf8" });
  } catch (error) {
    throw new Error(`scripts/web-size.mjs failed (is the web client built?): ${error instanceof Error ? error.message : String(error)}`);
  }
  const routeKiB = (route: string): number => {
    const match = new RegExp(`^\\s*${route}\\s+([\\d.]+) KB JS`, "m").exec(output);
    if (match?.[1] === undefined) throw new Error(`scripts/web-size.mjs printed no figure for ${route}:\n${output}`);
    return Number(match[1]);
  };
  return { signIn: routeKiB("sign-in"), inbox: routeKiB("inbox"), output };
}

interface PageDocument {
  querySelector(selector: string): { getBoundingClientRect(): { height: number } } | null;
}

/**
 * Runs in the page on every frame (serialised by Playwright, so it may use only what it names): the in-page time
 * since navigation start once an inbox row is laid out.
 */
function firstRowProbe(): number | false {
  const doc = (globalThis as unknown as { document: PageDocument }).document;
  const row = doc.querySelector("table.inbox-table tbody tr[data-assignment-id]");
  if (row === null || row.getBoundingClientRect().height === 0) return false;
  return performance.now();
}

/**
 * Time until the first inbox row is visible, measured in the page from navigation start (headless Chromium, a
 * fresh browser context each load: nothing cached, the session cookie already set), median of `loads`.
 */
export async function firstInboxRowMs(baseUrl: string, cookie: string, loads: number): Promise<number[]> {
  // The plan of the liaison's newest assignment, as the page's ?plan=: with thousands of plans, the web's default
  // (the newest issued plan) may hold none of this department's work, and an empty inbox has no row to time.
  const { data } = await getQuery(baseUrl, queryPath("inbox.list", { limit: 1 }), cookie);
  const first = (data as { rows?: Array<{ planId?: unknown }> } | undefined)?.rows?.[0];
  const planQuery = typeof first?.planId === "number" ? `&plan=${first.planId}` : "";
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
  const split = cookie.indexOf("=");
  const name = cookie.slice(0, split);
  const value = cookie.slice(split + 1);
  const times: number[] = [];
  try {
    for (let i = 0; i < loads; i += 1) {
      const context = await browser.newContext({ locale: "zh-CN" });
      await context.addCookies([{ name, value, url: baseUrl }]);
      const page = await context.newPage();
      // The "all" tab, so that a row shows whatever the department's work is in (the default tab is "to acknowledge").
      await page.goto(`${baseUrl}/inbox?filter=all${planQuery}`, { waitUntil: "commit" });
      const visibleAt = await page.waitForFunction(firstRowProbe, undefined, { polling: "raf", timeout: 30_000 });
      times.push(Number(await visibleAt.jsonValue()));
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return times;
}

export async function benchWeb(baseUrl: string, cookie: string, loads: number, log: (line: string) => void): Promise<Figure[]> {
  log("web: gzipped JavaScript per page");
  const size = webJavaScriptKiB();
  log(`web: first inbox row in headless Chromium, ${loads} loads`);
  const times = await firstInboxRowMs(baseUrl, cookie, loads);
  return [
    { id: "web.js-sign-in", section: "web", name: "sign-in page JavaScript, gzipped", value: size.signIn, unit: "KiB", digits: 1, target: { op: "≤", value: 250 } },
    { id: "web.js-inbox", section: "web", name: "inbox page JavaScript, gzipped", value: size.inbox, unit: "KiB", digits: 1, target: { op: "≤", value: 250 } },
    {
      id: "web.first-row",
      section: "web",
      name: `first inbox row visible, headless Chromium (median of ${loads})`,
      value: median(times),
      unit: "ms",
      digits: 0,
      target: { op: "≤", value: 1000 },
      detail: `the inbox's "all" tab; loads: ${times.map((t) => t.toFixed(0)).join(", ")} ms, cold cache each`,
    },
  ];
}
