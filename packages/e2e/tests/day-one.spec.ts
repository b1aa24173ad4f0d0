// Day one with many plans (issue 12): after a second plan is issued, a liaison of the first still lands on their
// open work in it; an action not offered says why; after an action, keyboard focus stays on what changed. In English
// and in Chinese. A server of its own (demo data), since issuing a second plan would change what other specs see.
import { expect, request as playwrightRequest, test } from "@playwright/test";
import type { APIRequestContext, Page } from "@playwright/test";
import { useOwnServer } from "./own-server.js";
import { demoPassword, keepScreenshot, seriousViolations, signIn } from "./support.js";

const server = useOwnServer({ demo: true });

async function api(username: string): Promise<APIRequestContext> {
  const context = await playwrightRequest.newContext({ baseURL: server.origin, extraHTTPHeaders: { Origin: server.origin } });
  const answer = await context.post("/trpc/auth.login", { data: { username, password: demoPassword } });
  expect(answer.status()).toBe(200);
  return context;
}
async function call<T>(context: APIRequestContext, path: string, input: unknown, kind: "query" | "mutation"): Promise<T> {
  const response =
    kind === "query"
      ? await context.get(`/trpc/${path}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`}`)
      : await context.post(`/trpc/${path}`, { data: input });
  const body = (await response.json()) as { result?: { data: T }; error?: unknown };
  if (body.result === undefined) throw new Error(`${path}: ${response.status()} ${JSON.stringify(body.error)}`);
  return body.result.data;
}

interface Tracked {
  measures: Array<{ number: number; assignments: Array<{ id: number; version: number; department: string; role: string; status: string }> }>;
}

async function inLanguage(page: Page, language: "en" | "zh"): Promise<void> {
  await page.goto(`${server.origin}/sign-in`);
  if (language === "zh") await page.getByRole("button", { name: "中文" }).click();
  else await expect(page.locator("html")).toHaveAttribute("lang", "en-GB");
}

let demoPlanId = 0;
let secondPlanId = 0;

test.describe.serial("day one with many plans", () => {
  test("a second plan is issued; the coordinator's pages stay on the plan they showed, and say which", async ({ page }) => {
    await signIn(page, "miit", { origin: server.origin });
    await page.goto(`${server.origin}/tracking`);
    const shown = page.getByTestId("shown-plan");
    await expect(shown).toContainText("Showing the plan:");
    const before = await shown.getAttribute("data-plan-id");
    const miit = await api("miit");
    const plans = await call<Array<{ id: number; status: string }>>(miit, "catalog.plans", undefined, "query");
    demoPlanId = plans.find((p) => p.status === "issued")?.id ?? 0;
    expect(demoPlanId).toBeGreaterThan(0);
    const created = await call<{ planId: number }>(
      miit,
      "plan.create",
      {
        titleEn: "Opinions on digital transformation of SMEs",
        titleZh: "关于中小企业数字化转型的意见",
        documentNumber: "工信部企业〔2026〕1号",
        sections: [{ number: 1, numeral: "一", title: "总体要求" }],
        measures: [
          { number: 1, section: 1, title: "数字化改造", text: "支持中小企业数字化改造。", textCut: false },
          { number: 2, section: 1, title: "财政支持", text: "加大财政资金支持。", textCut: false },
        ],
        responsibilities: [
          { measureNumber: 1, department: "MIIT", role: "lead" },
          { measureNumber: 1, department: "MOF", role: "supporting" },
          { measureNumber: 2, department: "MOF", role: "lead" },
        ],
      },
      "mutation",
    );
    secondPlanId = created.planId;
    await call(miit, "plan.issue", { planId: secondPlanId, dueDate: "2099-12-31" }, "mutation");
    await miit.dispose();
    expect(before).toBe(String(demoPlanId));
    // Tracking, matrix and division do not jump to the new plan.
    for (const path of ["/tracking", "/matrix", "/division"]) {
      await page.goto(`${server.origin}${path}`);
      await expect(page.getByTestId("shown-plan")).toHaveAttribute("data-plan-id", String(demoPlanId));
      await expect(page.getByTestId("shown-plan")).toContainText("工信部联企业〔2020〕108号");
    }
  });

  for (const language of ["en", "zh"] as const) {
    test(`a liaison of the first plan still sees their open work first (${language})`, async ({ page }) => {
      await inLanguage(page, language);
      await signIn(page, "mof", { origin: server.origin });
      await expect(page).toHaveURL(/\/inbox/);
      const plans = page.getByTestId("inbox-plans");
      await expect(plans.locator(".plan-counts li")).toHaveCount(2);
      await expect(plans.locator(`li[data-plan-id="${demoPlanId}"]`)).toContainText(language === "en" ? /\d+ open/ : /未报结 \d+ 项/);
      await expect(plans.getByRole("combobox")).toHaveValue("");
      await expect(plans.getByRole("combobox").locator("option").first()).toHaveText(language === "en" ? "All plans (2)" : "全部分工方案（2个）");
      // What the department owes in the 2020 plan comes first; the new plan's work is there too, each row naming its plan.
      const rows = page.locator("tbody tr");
      await expect(rows.first()).toHaveAttribute("data-plan-id", String(demoPlanId));
      await expect(rows.first().getByTestId("row-plan")).toContainText(language === "en" ? "Plan:" : "分工方案：");
      await page.getByRole("button", { name: language === "en" ? /^All/ : /^全部/ }).first().click();
      await expect(page.locator(`tbody tr[data-plan-id="${secondPlanId}"]`)).toHaveCount(2);
      await expect(page.locator(`tbody tr[data-plan-id="${demoPlanId}"]`).first()).toBeVisible();
      // The plan filter narrows to one plan, and says which.
      await plans.getByRole("combobox").selectOption(String(secondPlanId));
      await expect(page.locator(`tbody tr[data-plan-id="${demoPlanId}"]`)).toHaveCount(0);
      await expect(page.locator(`tbody tr[data-plan-id="${secondPlanId}"]`)).toHaveCount(2);
      expect(await seriousViolations(page)).toEqual([]);
      await keepScreenshot(page, `inbox-two-plans-${language}`);
      // The plan filter and counts fit a phone's width (the page does not scroll sideways).
      await page.setViewportSize({ width: 390, height: 800 });
      await expect(plans).toBeVisible();
      const overflow = await plans.evaluate((el) => el.scrollWidth - el.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    });
  }

  test("the coordinator changes a deadline after issue; the department sees it unread, and focus stays on the measure", async ({ page }) => {
    // A measure of the 2020 plan with work still open (not every department signed off).
    const miit = await api("miit");
    const tracked = await call<Tracked>(miit, "tracking.overview", { planId: demoPlanId }, "query");
    await miit.dispose();
    const target = tracked.measures.find((m) => m.assignments.some((a) => ["assigned", "accepted", "in_progress"].includes(a.status)));
    const department = target?.assignments.find((a) => ["assigned", "accepted", "in_progress"].includes(a.status))?.department;
    if (target === undefined || department === undefined) throw new Error("the demo has no open work");
    const n = target.number;

    await signIn(page, "miit", { origin: server.origin });
    await page.goto(`${server.origin}/division?plan=${demoPlanId}`);
    await expect(page.getByTestId("shown-plan")).toHaveAttribute("data-plan-id", String(demoPlanId));
    const item = page.locator(`.division-item[data-measure="${n}"]`);
    const open = item.getByRole("button", { name: `Change Measure (${n})` });
    await open.click();
    const dialog = page.getByRole("dialog", { name: `Change measure (${n}) after issue` });
    await dialog.getByLabel("Change", { exact: true }).selectOption("changeDeadline");
    await dialog.getByLabel("Deadline date").fill("2099-06-30");
    await dialog.getByLabel(/^Note/).fill("Aligned with the budget cycle.");
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole("button", { name: "Change the deadline" }).click();
    await expect(page.getByRole("status").filter({ hasText: `Measure (${n}): Change the deadline done.` })).toBeVisible();
    await expect(dialog).toHaveCount(0);
    await expect(open).toBeFocused();

    // The past is refused unless confirmed as back-dated.
    await open.click();
    await dialog.getByLabel("Deadline date").fill("2020-01-31");
    await dialog.getByRole("button", { name: "Change the deadline" }).click();
    await expect(dialog.getByRole("alert")).toContainText("before today");
    await dialog.getByRole("button", { name: "Cancel" }).click();

    // A department of the measure finds the change in its inbox, unread, with a count in the navigation.
    const liaison = await page.context().browser()?.newPage();
    if (liaison === undefined) throw new Error("no browser");
    await signIn(liaison, department === "MIIT" ? "miit-liaison" : department.toLowerCase(), { origin: server.origin });
    // One unread count in the navigation, the notification centre's: the inbox's marks are the same notices.
    const count = liaison.getByTestId("notices-unread-count");
    await expect(count).toBeVisible();
    await expect(liaison.getByTestId("unread-count")).toHaveCount(0);
    const shown = async (): Promise<number> => ((await count.count()) === 0 ? 0 : Number(await count.textContent()));
    const before = await shown();
    await expect(liaison.locator(`tbody tr[data-plan-id="${demoPlanId}"][data-measure="${n}"]`)).toHaveAttribute("data-unread", "true");
    await liaison.locator(`tbody tr[data-plan-id="${demoPlanId}"][data-measure="${n}"]`).getByRole("link").first().click();
    await expect(liaison.locator(".timeline")).toContainText("Deadline changed");
    // Opening it read the change in both: the count drops, and the centre lists that notice as read.
    await expect.poll(shown).toBeLessThan(before);
    const path = new URL(liaison.url()).pathname;
    await liaison.getByRole("link", { name: /^Notices/ }).click();
    await expect(liaison.locator(`li[data-read="1"] a[href$="${path}"]`).first()).toBeVisible();
    await expect(liaison.locator(`li[data-read="0"] a[href$="${path}"]`)).toHaveCount(0);
    await liaison.close();
  });

  for (const language of ["en", "zh"] as const) {
    test(`a refused action shows its reason, and focus stays on the changed item (${language})`, async ({ page }) => {
      // A measure of the 2020 plan that MOF leads while a supporting department has not signed off.
      const miit = await api("miit");
      const tracked = await call<Tracked>(miit, "tracking.overview", { planId: demoPlanId }, "query");
      await miit.dispose();
      const measure = tracked.measures.find((m) => {
        const lead = m.assignments.find((a) => a.role === "lead");
        return (
          lead?.department === "MOF" &&
          ["assigned", "accepted", "in_progress"].includes(lead.status) &&
          m.assignments.some((a) => a.role === "supporting" && !["signed_off", "withdrawn"].includes(a.status))
        );
      });
      if (measure === undefined) throw new Error("the demo has no measure MOF leads with a supporting department still working");
      const lead = measure.assignments.find((a) => a.role === "lead");
      const waiting = measure.assignments.filter((a) => a.role === "supporting" && !["signed_off", "withdrawn"].includes(a.status));
      if (lead === undefined) throw new Error("no lead");
      if (lead.status === "assigned") {
        const mof = await api("mof");
        await call(mof, "assignment.accept", { id: lead.id, expectedVersion: lead.version }, "mutation");
        await mof.dispose();
      }

      await inLanguage(page, language);
      await signIn(page, "mof", { origin: server.origin });
      await page.goto(`${server.origin}/assignments/${lead.id}`);
      const why = page.getByTestId("unavailable-actions").locator('li[data-action="signOff"]');
      await expect(why).toHaveAttribute("data-refusal", "supporting_not_signed_off");
      await expect(why).toContainText(language === "en" ? "still waiting for" : "尚待");
      await expect(page.getByRole("button", { name: language === "en" ? "Sign off" : /^(报结|完成签认)$/ })).toHaveCount(0);
      expect(waiting.length).toBeGreaterThan(0);
      await keepScreenshot(page, `assignment-why-${language}`);

      // An action through its dialog: afterwards the keyboard focus is on the assignment's state, not the page top.
      await page.getByRole("button", { name: language === "en" ? "Report progress" : "进展反馈" }).click();
      const dialog = page.getByRole("dialog");
      await dialog.getByRole("textbox").first().fill(language === "en" ? "Drafting the rules." : "正在起草细则。");
      await dialog.getByRole("button", { name: language === "en" ? "Report progress" : "进展反馈" }).click();
      await expect(dialog).toHaveCount(0);
      await expect(page.getByTestId("assignment-status")).toBeFocused();
      await expect(page.getByTestId("assignment-status")).toContainText(language === "en" ? "In progress" : "办理中");
    });
  }
});
