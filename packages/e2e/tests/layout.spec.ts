// Issue 12: with two plans present no page overflows sideways at 1440 px (desktop) or 390 px (phone), in either
// language, measured as the page's scrollWidth against its clientWidth; 催办 (Remind) never wraps; a plan whose
// text exists only in English says so in the Chinese interface (英文译本, never 措施原文).
import { request as playwrightRequest } from "@playwright/test";
import type { APIRequestContext, Page } from "@playwright/test";
import { expect, test } from "@playwright/test";
import { useOwnServer } from "./own-server.js";
import { demoPassword, signIn } from "./support.js";

const server = useOwnServer({ demo: true });

async function api(origin: string, username: string): Promise<APIRequestContext> {
  const context = await playwrightRequest.newContext({ baseURL: origin, extraHTTPHeaders: { Origin: origin } });
  const login = await context.post("/trpc/auth.login", { data: { username, password: demoPassword } });
  expect(login.status()).toBe(200);
  return context;
}

async function mutate(context: APIRequestContext, path: string, input: unknown): Promise<unknown> {
  const response = await context.post(`/trpc/${path}`, { data: input });
  const body = (await response.json()) as { result?: { data: unknown } };
  expect(response.status(), `${path}: ${JSON.stringify(body)}`).toBe(200);
  return body.result?.data;
}

/** A second plan, issued, with long titles in both languages and every department responsible somewhere. */
async function issueSecondPlan(origin: string): Promise<void> {
  const coordinator = await api(origin, "miit");
  const codes = ["MIIT", "NDRC", "MOST", "MOF", "MOHRSS", "MEE", "MARA", "MOFCOM", "MCT", "PBOC", "GACC", "STA", "SAMR", "NBS", "CBIRC", "CSRC", "CNIPA"];
  const measures = [1, 2, 3].map((n) => ({
    number: n,
    section: 1,
    title: `Promote the digital transformation of small and medium-sized enterprises, part ${n}`,
    text: `(${n}) Promote the digital transformation of small and medium-sized enterprises and support their services.`,
    textCut: false,
  }));
  const created = (await mutate(coordinator, "plan.create", {
    titleEn: "Implementation Plan for Accelerating the Digital Transformation of Small and Medium-sized Enterprises (2026–2028)",
    titleZh: "关于加快推进中小企业数字化转型的实施方案（2026—2028年）",
    documentNumber: "工信部联企业〔2026〕12号",
    sections: [{ number: 1, numeral: "一", title: "Key tasks for the digital transformation of small and medium-sized enterprises" }],
    measures,
    responsibilities: [1, 2, 3].flatMap((n) => codes.map((department, i) => ({ measureNumber: n, department, role: i === 0 ? "lead" : "supporting" }))),
  })) as { planId: number };
  await mutate(coordinator, "plan.issue", { planId: created.planId, dueDate: "2027-06-30" });
  await coordinator.dispose();
}

/** The plans' ids, oldest first, after issuing the second plan if the server has only the demo one yet. */
async function planIdsOf(origin: string): Promise<number[]> {
  const list = async () => {
    const reader = await api(origin, "miit");
    const plans = (await (await reader.get("/trpc/catalog.plans")).json()) as { result: { data: Array<{ id: number }> } };
    await reader.dispose();
    return plans.result.data.map((p) => p.id);
  };
  if ((await list()).length < 2) await issueSecondPlan(origin);
  return list();
}

async function setLanguage(page: Page, language: "zh" | "en"): Promise<void> {
  await page.evaluate((lng) => localStorage.setItem("countersign.language", lng), language);
  await page.reload();
  await expect(page.locator("html")).toHaveAttribute("lang", language === "zh" ? "zh-CN" : "en-GB");
}

/** Sideways overflow of the page, in CSS pixels (0 when none), after the page has settled. */
async function overflow(page: Page): Promise<{ px: number; culprits: string[] }> {
  await expect(page.locator("main h1").first()).toBeVisible();
  await expect(page.locator(".loading")).toHaveCount(0);
  return page.evaluate(() => {
    const root = document.documentElement;
    const px = Math.max(root.scrollWidth, document.body.scrollWidth) - root.clientWidth;
    // The widest elements that stick out, to say what to fix.
    const culprits = [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 1 && getComputedStyle(el).position !== "fixed")
      .filter((el) => !el.closest(".table-wrap, .visually-hidden"))
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} right=${Math.round(el.getBoundingClientRect().right)}`);
    return { px, culprits };
  });
}

const viewports = [
  { name: "desktop", width: 1440, height: 900 },
  { name: "phone", width: 390, height: 844 },
] as const;

for (const viewport of viewports) {
  test(`no page overflows sideways at ${viewport.width} px, in Chinese and English, with two plans`, async ({ browser }) => {
    test.setTimeout(120_000);
    const origin = server.origin;
    const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
    const coordinator = await context.newPage();
    await signIn(coordinator, "miit", { origin });
    const liaisonContext = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
    const liaison = await liaisonContext.newPage();
    await signIn(liaison, "mof", { origin });
    const assignmentHref = await liaison.locator("main tbody tr a").first().getAttribute("href");

    const planIds = await planIdsOf(origin);
    expect(planIds.length).toBeGreaterThanOrEqual(2);
    const pages: Array<[Page, string]> = [
      ...planIds.flatMap((plan): Array<[Page, string]> => [
        [coordinator, `/tracking?plan=${plan}`],
        [coordinator, `/matrix?plan=${plan}`],
        [coordinator, `/matrix?plan=${plan}&status=1`],
        [coordinator, `/division?plan=${plan}`],
        [coordinator, `/measures/1?plan=${plan}`],
      ]),
      [coordinator, "/tracking"],
      [coordinator, "/plans/import"],
      [coordinator, "/inbox"],
      [liaison, "/inbox"],
      [liaison, assignmentHref ?? "/inbox"],
    ];
    const problems: string[] = [];
    for (const language of ["zh", "en"] as const) {
      await setLanguage(coordinator, language);
      await setLanguage(liaison, language);
      for (const [page, path] of pages) {
        await page.goto(`${origin}${path}`);
        const found = await overflow(page);
        if (found.px > 0) problems.push(`${language} ${path}: ${found.px}px wider (${found.culprits.join("; ")})`);
      }
    }
    expect(problems).toEqual([]);

    if (viewport.name === "desktop") {
      // 催办 on one line: the overdue queue's remind button is no taller than one line of its text.
      await setLanguage(coordinator, "zh");
      await coordinator.goto(`${origin}/tracking?plan=${planIds[0]}`);
      const remind = coordinator.getByRole("button", { name: /^催办/ }).first();
      await expect(remind).toBeVisible();
      const lines = await remind.evaluate((el) => {
        const style = getComputedStyle(el);
        const lineHeight = Number.parseFloat(style.lineHeight) || Number.parseFloat(style.fontSize) * 1.4;
        const inner = el.getBoundingClientRect().height - Number.parseFloat(style.paddingTop) - Number.parseFloat(style.paddingBottom);
        return Math.round(inner / lineHeight);
      });
      expect(lines).toBe(1);
      // Every department column of the sign-off grid is visible at 1440 px: the grid needs no sideways scrolling.
      const grid = await coordinator.locator(".table-wrap", { has: coordinator.getByTestId("signoff-grid") }).evaluate((el) => el.scrollWidth - el.clientWidth);
      expect(grid).toBeLessThanOrEqual(0);

      // The 2020 plan's text is the English translation: the Chinese interface says so.
      await coordinator.goto(`${origin}/measures/7?plan=${planIds[0]}`);
      await expect(coordinator.getByRole("heading", { name: "英文译本" })).toBeVisible();
      await expect(coordinator.getByText("措施原文")).toHaveCount(0);
      await expect(coordinator.getByText("本分工方案尚无中文文本，以下为英文译本。")).toBeVisible();
    }
    await context.close();
    await liaisonContext.close();
  });
}

test("times are shown in Beijing time with the zone named, whatever the reader's own zone", async ({ browser }) => {
  const origin = server.origin;
  // A reader in New York: 13 hours behind Beijing, so a wrong zone shows another hour and often another day.
  const context = await browser.newContext({ timezoneId: "America/New_York", locale: "en-US" });
  const page = await context.newPage();
  await signIn(page, "mof", { origin });
  await setLanguage(page, "en");
  const href = await page.locator("main tbody tr a").first().getAttribute("href");
  await page.goto(`${origin}${href ?? "/inbox"}`);
  const times = page.locator("main time[datetime]");
  await expect(times.first()).toBeVisible();
  for (const time of await times.all()) {
    const iso = (await time.getAttribute("datetime")) ?? "";
    const beijing = new Date(Date.parse(iso) + 8 * 3_600_000).toISOString();
    await expect(time).toHaveText(`${beijing.slice(0, 10)} ${beijing.slice(11, 16)} (Beijing time)`);
  }
  await setLanguage(page, "zh");
  await expect(times.first()).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}（北京时间）$/);
  await context.close();
});
