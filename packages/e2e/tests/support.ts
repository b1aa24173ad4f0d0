// Shared helpers for the browser tests: signing in through the page, and reading the API directly to find
// assignments in the state a test needs (the demo data is seeded "in flight", so tests discover, not assume).
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import { expect, request as playwrightRequest } from "@playwright/test";
import type { APIRequestContext, Page } from "@playwright/test";

export const demoPassword = "countersign-demo";
export const baseURL = `http://127.0.0.1:${process.env.E2E_PORT ?? "3000"}`;

/** The demo account of a department's liaison: its code in lower case; MIIT's own liaison is `miit-liaison`. */
export function liaisonOf(department: string): string {
  return department === "MIIT" ? "miit-liaison" : department.toLowerCase();
}

/** Signs in through the page, in either language; `origin` for a spec's own server, `password` for a non-demo account. */
export async function signIn(page: Page, username: string, options: { origin?: string; password?: string } = {}): Promise<void> {
  await page.goto(`${options.origin ?? ""}/sign-in`);
  await page.getByLabel(/^(Username|用户名)/).fill(username);
  await page.getByLabel(/^(Password|密码)/).fill(options.password ?? demoPassword);
  await page.getByRole("button", { name: /^(Sign in|登录)$/ }).click();
  await expect(page).not.toHaveURL(/\/sign-in/);
  await expect(page.locator("main h1").first()).toBeVisible();
}

const screenshotDir = fileURLToPath(new URL("../test-results/screenshots/", import.meta.url));

/** Keeps a full-page screenshot of a main page as a test artefact. */
export async function keepScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: `${screenshotDir}${name}.png`, fullPage: true });
}

/** axe-core's serious and critical violations on the page as it is now (WCAG 2.1 A and AA rules). */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join(", ")}`);
}

/** A tRPC client of the plain-JSON API (no transformer), signed in as one account. */
export class Api {
  private constructor(private readonly context: APIRequestContext) {}

  static async signIn(username: string): Promise<Api> {
    // Mutations must come from the server's own origin (the server checks Origin).
    const context = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { Origin: baseURL } });
    const api = new Api(context);
    await api.mutate("auth.login", { username, password: demoPassword });
    return api;
  }

  async query<T>(path: string, input?: unknown): Promise<T> {
    const query = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
    const response = await this.context.get(`/trpc/${path}${query}`);
    const body = (await response.json()) as { result?: { data: T }; error?: unknown };
    if (!response.ok() || body.result === undefined) throw new Error(`${path} failed: ${response.status()} ${JSON.stringify(body.error)}`);
    return body.result.data;
  }

  /** The raw response, for tests that expect a refusal. */
  async mutateRaw(path: string, input: unknown): Promise<{ status: number; body: unknown }> {
    const response = await this.context.post(`/trpc/${path}`, { data: input });
    return { status: response.status(), body: await response.json() };
  }

  async mutate<T>(path: string, input: unknown): Promise<T> {
    const { status, body } = await this.mutateRaw(path, input);
    const result = (body as { result?: { data: T } }).result;
    if (status !== 200 || result === undefined) throw new Error(`${path} failed: ${status} ${JSON.stringify(body)}`);
    return result.data;
  }

  async dispose(): Promise<void> {
    await this.context.dispose();
  }
}

export interface TrackedAssignment {
  id: number;
  version: number;
  department: string;
  role: "lead" | "supporting";
  status: string;
  lateness: string;
  extensionPending: boolean;
}

export interface TrackedMeasure {
  number: number;
  title: string;
  status: string;
  closed: boolean;
  assignments: TrackedAssignment[];
}

export interface Overview {
  plan: { id: number; status: string };
  measures: TrackedMeasure[];
  departments: Array<{ department: string }>;
}

export async function currentPlanId(api: Api): Promise<number> {
  const plans = await api.query<Array<{ id: number; status: string }>>("catalog.plans");
  const issued = plans.filter((p) => p.status === "issued");
  const plan = (issued.length > 0 ? issued : plans).at(-1);
  if (!plan) throw new Error("No plan loaded.");
  return plan.id;
}

export async function overview(api: Api): Promise<Overview> {
  return api.query<Overview>("tracking.overview", { planId: await currentPlanId(api) });
}

const open = new Set(["assigned", "accepted", "in_progress"]);

/**
 * A measure whose every assignment is still open (none declined, withdrawn or signed off, no extension pending),
 * with one lead and at least one supporting department; `avoid` lists measures other tests use.
 */
export function openJointMeasure(data: Overview, avoid: readonly number[] = []): TrackedMeasure {
  const candidates = data.measures.filter(
    (m) =>
      !m.closed &&
      !avoid.includes(m.number) &&
      m.assignments.length >= 2 &&
      m.assignments.every((a) => open.has(a.status) && !a.extensionPending) &&
      m.assignments.filter((a) => a.role === "lead").length === 1,
  );
  // Fewest departments first: the story needs every one of them to sign off.
  const chosen = candidates.sort((a, b) => a.assignments.length - b.assignments.length)[0];
  if (!chosen) throw new Error("The demo data has no measure with every assignment still open.");
  return chosen;
}
