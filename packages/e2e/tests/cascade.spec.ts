// Issue 16, down the levels, in the browser: the national office forwards measures of the 2020 plan to Guangxi and
// Zhejiang; Guangxi derives its implementation plan, adds a local measure and issues it on the division page; the national regional grid
// changes and drills down to Guangxi's plan; Zhejiang sees only what was forwarded to it. Then, with the province's and
// the nation's grids open in pages of their own that are never reloaded, Guangxi forwards one measure to Nanning, whose
// office derives and issues its plan and whose department signs off (报结): both grids change live, and Zhejiang's
// page shows none of it. Forwarding changes what other specs see: a server of its own.
import { expect, test } from "@playwright/test";
import type { Browser, Page } from "@playwright/test";
import { useOwnServer } from "./own-server.js";
import { keepScreenshot, seriousViolations, signIn } from "./support.js";

const server = useOwnServer({ demo: true });
// The second test carries on from the first's plans.
test.describe.configure({ mode: "serial" });

/** A day `days` from today in Beijing, YYYY-MM-DD (the demo's deadlines are relative to today). */
function beijingDay(days: number): string {
  return new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

test("forward to two provinces, Guangxi derives and issues, the nation's grid changes, Zhejiang sees none of Guangxi's", async ({ page }) => {
  // The national office forwards measures (9) and (16) (the demo's other measures are overdue already: a province's
  // plan deadline may not pass a measure's own).
  await signIn(page, "miit", { origin: server.origin });
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Down the levels" }).click();
  await expect(page.getByRole("heading", { name: "Down the levels (forwarding)" })).toBeVisible();
  await page.getByTestId("cascade-plans").getByRole("button", { name: "Forward…" }).click();
  const dialog = page.getByRole("dialog", { name: "Forward the plan to the level below" });
  // One title, the dialog's own (it was printed twice).
  await expect(dialog.getByRole("heading")).toHaveCount(1);
  await dialog.getByRole("checkbox", { name: "Guangxi Zhuang Autonomous Region" }).check();
  await dialog.getByRole("checkbox", { name: "Zhejiang", exact: true }).check();
  await dialog.getByRole("checkbox", { name: /^\(9\) / }).check();
  await dialog.getByRole("checkbox", { name: /^\(16\) / }).check();
  await dialog.getByLabel("Implementation plan due by").fill(beijingDay(10));
  expect(await seriousViolations(page)).toEqual([]);
  await dialog.getByRole("button", { name: "Forward", exact: true }).click();
  await expect(dialog.getByRole("status")).toHaveText("Forwarded to 2 organisations.");
  await dialog.getByRole("button", { name: "Cancel" }).press("Enter");
  await expect(dialog).toBeHidden();
  const grid = page.getByTestId("regional-grid");
  const row9 = grid.locator("tbody tr").filter({ hasText: "(9)" });
  await expect(row9.locator("td").nth(1 + 19)).toHaveText("Planning"); // Guangxi is the 20th province
  await expect(row9.locator("td").nth(1 + 10)).toHaveText("Planning"); // Zhejiang the 11th
  await expect(row9.locator("td").nth(1 + 18)).toHaveText("Not forwarded"); // Guangdong
  await keepScreenshot(page, "cascade-national-grid");

  // Guangxi's office takes the forwarding in and issues its implementation plan.
  await page.getByRole("button", { name: "Sign out" }).click();
  await signIn(page, "gx-office", { origin: server.origin });
  await page.goto(`${server.origin}/cascade`);
  const pending = page.getByTestId("cascade-pending");
  await expect(pending).toContainText("2 measures");
  // Dates as people read them, not ISO strings.
  await expect(pending).not.toContainText(/\d{4}-\d{2}-\d{2}/);
  await pending.getByRole("button", { name: "Read the forwarded plan" }).click();
  await expect(page.getByTestId("cascade-plan")).toContainText("Forwarded to you: read only");
  await expect(page.getByTestId("cascade-plan")).not.toContainText(/\d{4}-\d{2}-\d{2}/);
  await pending.getByRole("button", { name: "Derive the implementation plan" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Draft implementation plan made with 2 measures." })).toBeVisible();
  await expect(page.getByText("Nothing forwarded to your organisation is waiting.")).toBeVisible();
  // A local measure of its own (沿边中小企业), then its lead on the division page.
  await page.getByTestId("cascade-plans").getByRole("button", { name: "Add a local measure…" }).click();
  const local = page.getByRole("dialog", { name: "Add a local measure to the draft" });
  await local.getByLabel("Short title").fill("沿边中小企业");
  await local.getByLabel("Text").fill("支持沿边地区中小企业发展。");
  await local.getByLabel(/^Deadline/).fill(beijingDay(20));
  expect(await seriousViolations(page)).toEqual([]);
  await local.getByRole("button", { name: "Add the measure" }).click();
  await expect(local.getByRole("status")).toHaveText("Measure (3) added; set its lead department on the division page.");
  await local.getByRole("button", { name: "Cancel" }).click();
  await page.getByRole("link", { name: "Divide and issue it" }).click();
  const item = page.locator('.division-item[data-measure="3"]');
  await item.getByRole("button", { name: "Edit Measure (3)" }).click();
  await item.getByLabel(/^Lead department/).selectOption("450000-MOFCOM");
  await item.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Measure (3) saved." })).toBeVisible();
  await page.getByLabel("Deadline date").fill(beijingDay(15));
  await page.getByRole("button", { name: "Issue the plan" }).click();
  await page.getByRole("dialog", { name: "Issue the plan" }).getByRole("button", { name: "Issue the plan" }).click();
  await expect(page.getByRole("status").filter({ hasText: "The plan has been issued." })).toBeVisible();

  // The nation's grid: Guangxi in progress, Zhejiang still planning; drill down to Guangxi's plan (read-only).
  await page.getByRole("button", { name: "Sign out" }).click();
  await signIn(page, "miit", { origin: server.origin });
  await page.goto(`${server.origin}/cascade`);
  await expect(row9.locator("td").nth(1 + 19)).toHaveText("In progress");
  await expect(row9.locator("td").nth(1 + 10)).toHaveText("Planning");
  await grid.getByRole("button", { name: "Open Guangxi Zhuang Autonomous Region's plan" }).click();
  await expect(page.getByTestId("regional-grid").locator("caption")).toContainText("Guangxi Zhuang Autonomous Region");
  await expect(page.getByTestId("regional-grid").locator("tbody tr")).toHaveCount(3);
  await page.getByRole("button", { name: "Back up one level" }).click();
  await expect(page.getByTestId("regional-grid").locator("tbody tr")).toHaveCount(25);

  // Zhejiang: its own forwarding only; the national grid and Guangxi's plan are not for it.
  await page.getByRole("button", { name: "Sign out" }).click();
  await signIn(page, "zj-office", { origin: server.origin });
  await page.goto(`${server.origin}/cascade`);
  await expect(page.getByTestId("cascade-pending")).toContainText("2 measures");
  await expect(page.getByTestId("cascade-pending").locator("li")).toHaveCount(1);
  await expect(page.getByText("Your organisation has no plan yet.")).toBeVisible();
  await expect(page.getByTestId("regional-grid")).toHaveCount(0);
});

/** A page of its own (its own cookies: its own account), signed in and opened on the forwarding page (or left on the account's landing page). */
async function openCascade(browser: Browser, username: string, options: { landing?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, username, { origin: server.origin });
  if (options.landing !== true) await page.goto(`${server.origin}/cascade`);
  await expect(page.locator(".live-indicator")).toHaveAttribute("data-live-status", "pending");
  return page;
}

/** A measure's row (by its number) in the regional grid of a page. */
function gridRow(page: Page, measure: number) {
  return page.getByTestId("regional-grid").locator("tbody tr").filter({ has: page.locator(".measure-no").getByText(`(${measure})`, { exact: true }) });
}

test("Guangxi forwards a measure to Nanning, Nanning issues and its department signs off: the province's and the nation's grids change live, Zhejiang's page shows none of it", async ({ page, browser }) => {
  test.setTimeout(180_000);
  // Pages left open, never reloaded: Guangxi's grid, the nation's grid and the nation's drill-down into Guangxi, Zhejiang's page.
  const province = await openCascade(browser, "gx-office");
  const provinceGrid = province.getByTestId("regional-grid");
  await expect(provinceGrid.locator("caption")).toContainText("Guangxi Zhuang Autonomous Region: implementation plan");
  // The organisation's name once: a derived plan's title begins with it.
  await expect(provinceGrid.locator("caption")).not.toContainText("Guangxi Zhuang Autonomous Region Guangxi");
  const nation = await openCascade(browser, "miit");
  const nationDrill = await nation.context().newPage();
  await nationDrill.goto(`${server.origin}/cascade`);
  // By keyboard: the drill-down moves focus to the new grid's heading, which names the organisation.
  await nationDrill.getByTestId("regional-grid").getByRole("button", { name: "Open Guangxi Zhuang Autonomous Region's plan" }).focus();
  await nationDrill.keyboard.press("Enter");
  await expect(nationDrill.getByRole("heading", { name: "Progress by region: Guangxi Zhuang Autonomous Region" })).toBeFocused();
  await expect(nationDrill.getByTestId("regional-grid").locator("caption")).toContainText("Guangxi Zhuang Autonomous Region");
  const zhejiang = await openCascade(browser, "zj-office");
  // Nanning's office, on its landing page: nothing forwarded to it yet.
  const city = await openCascade(browser, "nn-office", { landing: true });
  const cityNav = city.getByRole("navigation", { name: "Main" });
  await expect(cityNav.getByRole("link", { name: "Down the levels", exact: true })).toBeVisible();
  await expect(city).toHaveURL(/\/tracking/);
  await expect(city.getByText("No plan has been issued yet.")).toBeVisible();
  await expect(city.getByTestId("forwarded-waiting")).toHaveCount(0);
  const column = async (p: Page, name: string) => {
    await expect(p.getByTestId("regional-grid").locator("thead th").getByText(name, { exact: true })).toBeVisible();
    const headers = await p.getByTestId("regional-grid").locator("thead th").allInnerTexts();
    const index = headers.findIndex((h) => h.trim() === name);
    expect(index, `${name} among ${headers.join(", ")}`).toBeGreaterThan(1);
    return index;
  };
  const at = async (p: Page, measure: number, name: string) => {
    const index = await column(p, name);
    return gridRow(p, measure).locator("td").nth(index - 1);
  };
  // Guangxi's (2) implements the nation's (16); (1) the nation's (9).
  await expect(await at(province, 2, "Nanning")).toHaveText("Not forwarded");
  await expect(await at(nationDrill, 2, "Nanning")).toHaveText("Not forwarded");
  const row16 = gridRow(nation, 16);
  await expect(row16.locator("td").nth(1 + 19)).toHaveText("In progress");

  // Guangxi's office forwards its measure (2) to Nanning from its own plan, on the page it keeps open (signing in
  // elsewhere as the same account and out again would end this page's session too).
  await province.getByTestId("cascade-plans").getByRole("button", { name: "Forward…" }).click();
  const dialog = province.getByRole("dialog", { name: "Forward the plan to the level below" });
  await dialog.getByRole("checkbox", { name: "Nanning", exact: true }).check();
  await dialog.getByRole("checkbox", { name: /^\(2\) / }).check();
  await dialog.getByLabel("Implementation plan due by").fill(beijingDay(8));
  expect(await seriousViolations(province)).toEqual([]);
  await dialog.getByRole("button", { name: "Forward", exact: true }).click();
  await expect(dialog.getByRole("status")).toHaveText("Forwarded to 1 organisation.");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(await at(province, 2, "Nanning")).toHaveText("Planning");
  await expect(await at(nationDrill, 2, "Nanning")).toHaveText("Planning");

  // Nanning's office: its open page's navigation counts the forwarding, live (its inbox item); it takes it in, derives
  // its plan (its MIIT counterpart leads, mirrored by line) and issues it.
  const waiting = cityNav.getByRole("link", { name: "Down the levels, forwarded to you and waiting: 1" });
  await expect(waiting).toBeVisible();
  await expect(city.getByTestId("cascade-waiting-count")).toHaveText("1");
  // Its landing page (no plan of its own yet) says so too, with the way to take it in.
  await expect(city.getByTestId("forwarded-waiting")).toHaveText("Plans forwarded to your organisation and waiting to be taken in: 1. Take them in (Down the levels)");
  await keepScreenshot(city, "cascade-city-landing");
  expect(await seriousViolations(city)).toEqual([]);
  await waiting.click();
  const pending = city.getByTestId("cascade-pending");
  await expect(pending).toContainText("1 measure;");
  expect(await seriousViolations(city)).toEqual([]);
  await pending.getByRole("button", { name: "Derive the implementation plan" }).click();
  await expect(city.getByRole("status").filter({ hasText: "Draft implementation plan made with 1 measure." })).toBeVisible();
  await expect(cityNav.getByRole("link", { name: "Down the levels", exact: true })).toBeVisible();
  await city.getByRole("link", { name: "Divide and issue it" }).click();
  await expect(city.locator('.division-item[data-measure="1"]')).toContainText("Nanning");
  await city.getByLabel("Deadline date").fill(beijingDay(7));
  await keepScreenshot(city, "cascade-city-division");
  expect(await seriousViolations(city)).toEqual([]);
  await city.getByRole("button", { name: "Issue the plan" }).click();
  await city.getByRole("dialog", { name: "Issue the plan" }).getByRole("button", { name: "Issue the plan" }).click();
  await expect(city.getByRole("status").filter({ hasText: "The plan has been issued." })).toBeVisible();
  await expect(await at(province, 2, "Nanning")).toHaveText("In progress");
  await expect(await at(nationDrill, 2, "Nanning")).toHaveText("In progress");

  // Nanning's bureau of industry and information technology: its inbox, accept, sign off (报结).
  await signIn(page, "nn-miit", { origin: server.origin });
  await expect(page).toHaveURL(/\/inbox/);
  await page.getByRole("button", { name: /^All/ }).click();
  const row = page.locator("tr[data-assignment-id]").first();
  await expect(row).toBeVisible();
  await keepScreenshot(page, "cascade-city-liaison-inbox");
  expect(await seriousViolations(page)).toEqual([]);
  await row.getByRole("link").first().click();
  const article = page.locator("article.assignment-page");
  await expect(article).toHaveAttribute("data-status", "assigned");
  await page.getByRole("button", { name: "Accept", exact: true }).click();
  await expect(article).toHaveAttribute("data-status", "accepted");
  await keepScreenshot(page, "cascade-city-liaison-assignment");
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole("button", { name: "Sign off", exact: true }).click();
  const signOff = page.getByRole("dialog", { name: "Sign off" });
  await signOff.getByLabel(/Summary of the work done/).fill("南宁市工业和信息化局：本市承接的措施已完成。");
  await signOff.getByRole("button", { name: "Sign off", exact: true }).click();
  await expect(article).toHaveAttribute("data-status", "signed_off");
  // Guangxi's grid and the nation's drill-down: Nanning done; the nation's own grid waits for Guangxi's own part.
  await expect(await at(province, 2, "Nanning")).toHaveText("Done");
  await expect(await at(nationDrill, 2, "Nanning")).toHaveText("Done");
  // Which cells moved, said in a polite live region above each grid (a screen reader reads it out).
  for (const p of [province, nationDrill]) {
    await expect(p.getByTestId("regional-changes")).toHaveText("Progress by region updated: (2) Nanning: Done.");
    await expect(p.getByTestId("regional-changes")).toHaveRole("status");
  }
  await expect(row16.locator("td").nth(1 + 19)).toHaveText("In progress");

  // Guangxi's own department signs off its part of (2): the nation's grid shows Guangxi done on (16).
  await page.getByRole("button", { name: "Sign out" }).click();
  await signIn(page, "gx-miit", { origin: server.origin });
  await page.getByRole("button", { name: /^All/ }).click();
  await page.locator("tr[data-assignment-id]").first().getByRole("link").first().click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Measure (2)");
  await page.getByRole("button", { name: "Accept", exact: true }).click();
  await expect(article).toHaveAttribute("data-status", "accepted");
  await page.getByRole("button", { name: "Sign off", exact: true }).click();
  await signOff.getByLabel(/Summary of the work done/).fill("广西壮族自治区工业和信息化厅：已完成。");
  await signOff.getByRole("button", { name: "Sign off", exact: true }).click();
  await expect(article).toHaveAttribute("data-status", "signed_off");
  await expect(row16.locator("td").nth(1 + 19)).toHaveText("Done");
  await expect(nation.getByTestId("regional-changes")).toContainText("(16) Guangxi Zhuang Autonomous Region: Done");
  await expect(gridRow(province, 2).locator("td").first()).toHaveText("Done");
  expect(await seriousViolations(province)).toEqual([]);
  expect(await seriousViolations(nation)).toEqual([]);
  await keepScreenshot(province, "cascade-province-grid-live");

  // The same page in Chinese: the heading, the cells and the last change reworded, not reloaded.
  await province.getByRole("button", { name: "中文" }).click();
  await expect(province.getByRole("heading", { name: "分地区进展：广西壮族自治区" })).toBeVisible();
  await expect(await at(province, 2, "南宁市")).toHaveText("已完成");
  await expect(province.getByTestId("regional-changes")).toHaveText("分地区进展已更新：第（2）项总体：已完成。");
  expect(await seriousViolations(province)).toEqual([]);

  // Zhejiang's page, open all along and still listening (so its silence means something): nothing of Guangxi's or Nanning's.
  await expect(zhejiang.locator(".live-indicator")).toHaveAttribute("data-live-status", "pending");
  await expect(zhejiang.getByTestId("cascade-pending").locator("li")).toHaveCount(1);
  await expect(zhejiang.getByTestId("cascade-waiting-count")).toHaveText("1"); // the nation's forwarding, nothing of Nanning's
  for (const word of ["Guangxi", "Nanning", "沿边"]) await expect(zhejiang.locator("main")).not.toContainText(word);
  await expect(zhejiang.getByTestId("regional-grid")).toHaveCount(0);
  // Back up to the nation's grid by keyboard: focus on its heading again, the drilled page never reloaded.
  await nationDrill.getByRole("button", { name: "Back up one level" }).press("Enter");
  await expect(nationDrill.getByRole("heading", { name: /^Progress by region: / })).toBeFocused();
  await expect(gridRow(nationDrill, 16).locator("td").nth(1 + 19)).toHaveText("Done");
  for (const p of [province, nation, zhejiang, city]) await p.context().close();
});
