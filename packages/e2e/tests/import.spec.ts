// A new plan from a policy document, in the browser: the coordinator uploads the 2020 source text, reviews the
// structure and the proposed division, saves and issues it; a liaison then finds the new plan's assignments in the
// department's inbox. Issuing a second plan would change what the other specs see on the shared demo server, so
// this spec starts a demo server of its own on a fresh database.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";
import type { Page } from "@playwright/test";
import { useOwnServer } from "./own-server.js";
import { keepScreenshot, seriousViolations, signIn as signInAt } from "./support.js";

// Reading, reviewing (axe over a 25 × 17 matrix of controls) and issuing take longer than one page of the story.
test.describe.configure({ mode: "serial", timeout: 120_000 });

const source2020 = fileURLToPath(new URL("../../domain/data/opinions-2020-sme-support-system.txt", import.meta.url));
const server = useOwnServer({ demo: true });

const signIn = (page: Page, username: string): Promise<void> => signInAt(page, username, { origin: server.origin });

/** A query of the plain-JSON API with the page's session cookie. */
async function query<T>(page: Page, path: string, input: unknown): Promise<T> {
  const response = await page.request.get(`${server.origin}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`);
  expect(response.ok(), `${path}: ${response.status()}`).toBe(true);
  return ((await response.json()) as { result: { data: T } }).result.data;
}

interface PlanDetail {
  plan: { id: number; status: string; titleEn: string; titleZh: string; documentNumber: string };
  sections: Array<{ number: number; numeral: string; title: string }>;
  measures: Array<{ number: number; section: number; title: string; text: string; textCut: boolean }>;
  responsibilities: Array<{ measureNumber: number; department: string; role: string }>;
}

const divisionOf = (plan: PlanDetail) =>
  plan.responsibilities.map((r) => `(${r.measureNumber}) ${r.role === "lead" ? "0" : "1"} ${r.department}`).sort();

test("importing the 2020 source yields the default plan; issuing it puts its assignments in the departments' inboxes", async ({ page }) => {
  await signIn(page, "miit");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "New plan" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("New plan from a policy document");

  // Upload the source as a .txt file: it lands in the text field, which could also be pasted into.
  await page.getByLabel("Upload a file (.docx, .pdf, .xlsx, .csv or .txt)").setInputFiles(source2020);
  const text = page.getByLabel(/^Text of the document/);
  await expect(text).toHaveValue(readFileSync(source2020, "utf8"));
  await page.getByRole("button", { name: "Read the document" }).click();

  const review = page.getByTestId("import-review");
  await expect(page.getByTestId("import-summary")).toHaveText(/^Found 7 sections, 25 measures and \d+ warnings\.$/);
  await expect(review.locator(".import-section")).toHaveCount(7);
  await expect(review.locator(".import-measure")).toHaveCount(25);
  await expect(page.getByRole("heading", { name: "Structure" })).toBeFocused();

  // The warnings: text outside any measure (the web page's header, the signatures) and measures cut short.
  const warnings = page.getByTestId("import-warnings");
  await expect(warnings.locator('li[data-kind="unassigned_text"]').first()).toBeVisible();
  const cut = warnings.locator('li[data-kind="text_cut"]').filter({ hasText: "measure (3)" });
  await cut.getByRole("button").click();
  const highlight = page.getByTestId("import-highlight");
  await expect(highlight).toBeVisible();
  await expect(highlight).toHaveText("medium-sized Establish");
  await expect(page.getByText("Highlighted in the text: Text looks cut short, measure (3)")).toBeVisible();
  await expect(review.locator('[data-measure-key="3"]').getByRole("checkbox", { name: /Text cut short/ })).toBeChecked();
  // A measure's own "Show in the text" highlights the whole measure.
  await review.locator('[data-measure-key="22"]').getByRole("button", { name: "Show in the text Measure (22)" }).click();
  await expect(highlight).toContainText("(22)");

  // Fix the titles: the English source names neither the Chinese title nor the document number.
  await page.getByLabel("Title in Chinese").fill("关于健全支持中小企业发展制度的若干意见");
  await page.getByLabel("Document number").fill("工信部联企业〔2020〕108号");

  // The proposed division, with its evidence; edit a cell and put it back: a new lead makes the old one supporting.
  const matrix = page.getByTestId("import-matrix");
  await expect(matrix.locator("tbody tr[data-measure]")).toHaveCount(25);
  await expect(matrix.locator('tr[data-measure="22"] td[data-department="CNIPA"]')).toHaveAttribute("data-role", "lead");
  await expect(matrix.locator('tr[data-measure="22"] th')).toContainText("intellectual property");
  const row7 = matrix.locator('tr[data-measure="7"]');
  await expect(row7.locator('td[data-department="STA"]')).toHaveAttribute("data-role", "lead");
  await page.getByLabel("Measure (7), Ministry of Finance").selectOption("lead");
  await expect(row7.locator('td[data-department="MOF"]')).toHaveAttribute("data-role", "lead");
  await expect(row7.locator('td[data-department="STA"]')).toHaveAttribute("data-role", "supporting");
  await page.getByLabel("Measure (7), State Taxation Administration").selectOption("lead");
  await expect(row7.locator('td[data-department="STA"]')).toHaveAttribute("data-role", "lead");
  await expect(row7.locator('td[data-department="MOF"]')).toHaveAttribute("data-role", "supporting");
  await expect(page.getByTestId("import-leads-missing")).toHaveCount(0);

  expect(await seriousViolations(page)).toEqual([]);
  await keepScreenshot(page, "import-review");

  await page.getByRole("button", { name: "Save as a draft plan" }).click();
  await expect(page.getByTestId("import-saved")).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Saved as a draft plan." })).toBeVisible();

  // The saved draft is the default plan: titles, sections, measures and texts exactly, and the same division.
  const plans = await query<Array<{ id: number; key: string; status: string }>>(page, "catalog.plans", undefined);
  expect(plans).toHaveLength(2);
  const [original, imported] = plans;
  if (!original || !imported) return;
  expect(imported.status).toBe("draft");
  const defaultPlan = await query<PlanDetail>(page, "catalog.plan", { planId: original.id });
  const draft = await query<PlanDetail>(page, "catalog.plan", { planId: imported.id });
  expect(draft.plan).toMatchObject({
    titleEn: defaultPlan.plan.titleEn,
    titleZh: defaultPlan.plan.titleZh,
    documentNumber: defaultPlan.plan.documentNumber,
  });
  expect(draft.sections).toEqual(defaultPlan.sections);
  const measureFields = (p: PlanDetail) => p.measures.map(({ number, section, title, text, textCut }) => ({ number, section, title, text, textCut }));
  expect(measureFields(draft)).toEqual(measureFields(defaultPlan));
  expect(divisionOf(draft)).toEqual(divisionOf(defaultPlan));

  // Issue it (立项交办), with a deadline; the tracking page of the new plan follows.
  await page.getByLabel("Deadline date").fill("2027-06-30");
  await page.getByRole("button", { name: "Issue the plan" }).click();
  const confirm = page.getByRole("dialog", { name: "Issue the plan" });
  await expect(confirm).toContainText("30 Jun 2027");
  await confirm.getByRole("button", { name: "Issue the plan" }).click();
  await expect(page).toHaveURL(new RegExp(`/tracking\\?plan=${imported.id}$`));
  const grid = page.getByTestId("signoff-grid");
  await expect(grid.locator("tbody tr")).toHaveCount(25);
  await expect(grid.locator("td[data-status]:not([data-status=assigned])")).toHaveCount(0);
  await keepScreenshot(page, "import-issued-tracking");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);

  // MOF's liaison opens the inbox: one inbox across plans, the new plan's assignments among the rest (issue 12).
  await signIn(page, "mof");
  await expect(page).toHaveURL(/\/inbox/);
  const owed = await query<{ rows: Array<{ id: number; measureNumber: number; status: string; planId: number }> }>(page, "inbox.list", {
    planId: imported.id,
    limit: 200,
  });
  const mofMeasures = draft.responsibilities.filter((r) => r.department === "MOF").map((r) => r.measureNumber);
  expect(owed.rows.map((r) => r.measureNumber).sort((a, b) => a - b)).toEqual(mofMeasures.sort((a, b) => a - b));
  expect(owed.rows.every((r) => r.status === "assigned")).toBe(true);
  const planFilter = page.getByRole("combobox", { name: "Plan", exact: true });
  await expect(planFilter).toHaveValue("");
  await planFilter.selectOption(String(imported.id));
  await page.getByRole("button", { name: /^All/ }).click();
  const rows = page.locator("tr[data-assignment-id]");
  await expect(rows).toHaveCount(owed.rows.length);
  for (const row of owed.rows) await expect(page.locator(`tr[data-assignment-id="${row.id}"]`)).toBeVisible();
  await keepScreenshot(page, "import-liaison-inbox");

  // The plan filter switches the inbox to the demo plan (in the address); the inbox itself always opens on every plan.
  await planFilter.selectOption(String(original.id));
  await expect(page.locator(`tr[data-assignment-id="${owed.rows[0]?.id}"]`)).toHaveCount(0);
  await expect(page).toHaveURL(new RegExp(`plan=${original.id}`));
  await page.goto(`${server.origin}/inbox`);
  await expect(planFilter).toHaveValue("");
});

test("a Chinese document pasted in the Chinese interface: numbering warnings, a missing section and leads to decide", async ({ page }) => {
  await signIn(page, "miit");
  await page.getByRole("button", { name: "中文" }).click();
  await page.goto(`${server.origin}/plans/import`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("由政策文件新建分工方案");
  await page
    .getByLabel(/^文件正文/)
    .fill(
      "关于做好中小企业服务月活动的通知\n\n各有关单位：\n\n（一）组织政策宣讲。\n（二）开展融资对接。\n（四）举办人才招聘会。\n（四）推动数字化转型。\n（五）加强宣传报道。\n\n附件：活动安排表\n",
    );
  await page.getByRole("button", { name: "识别文件" }).click();
  await expect(page.getByTestId("import-summary")).toHaveText(/^识别出 0 个部分、5 项措施、\d+ 条提示。$/);
  const warnings = page.getByTestId("import-warnings");
  await expect(warnings.locator('li[data-kind="number_skipped"]')).toContainText("编号跳号");
  await expect(warnings.locator('li[data-kind="number_repeated"]')).toContainText("编号重复");
  await expect(page.getByLabel("中文标题")).toHaveValue("关于做好中小企业服务月活动的通知");

  // Saving asks for a section first; the problem's link takes the focus to the field to fix.
  await page.getByRole("button", { name: "保存为方案草稿" }).click();
  const problems = page.getByRole("alert").filter({ hasText: "保存前请修改以下内容" });
  await expect(problems).toContainText("方案至少需要一个部分");
  await page.getByRole("button", { name: "添加部分" }).click();
  await page.getByLabel("部分标题 第1部分").fill("活动安排");
  await expect(page.locator(".import-section")).toHaveCount(1);
  await expect(page.locator(".import-section .import-measure")).toHaveCount(5);

  // Measures whose text names no department are flagged for the coordinator; pick their leads by keyboard.
  const matrix = page.getByTestId("import-matrix");
  const undecided = matrix.locator('tr[data-needs-decision="true"]');
  await expect(undecided.first()).toContainText("需要您决定");
  const leadless = await undecided.evaluateAll((rows) => rows.map((r) => r.getAttribute("data-measure") ?? ""));
  expect(leadless.length).toBeGreaterThan(0);
  for (const number of leadless) {
    const cell = page.getByLabel(`措施（${number}），工业和信息化部`);
    await cell.focus();
    await cell.selectOption("lead");
    await expect(matrix.locator(`tr[data-measure="${number}"] td[data-department="MIIT"]`)).toHaveAttribute("data-role", "lead");
  }
  await expect(page.getByTestId("import-leads-missing")).toHaveCount(0);
  expect(await seriousViolations(page)).toEqual([]);
  await keepScreenshot(page, "import-review-zh");

  await page.getByRole("button", { name: "保存为方案草稿" }).click();
  await expect(page.getByTestId("import-saved")).toContainText("已保存为方案草稿");
  const plans = await query<Array<{ id: number; titleZh: string; status: string; measures: number }>>(page, "catalog.plans", undefined);
  expect(plans.at(-1)).toMatchObject({ titleZh: "关于做好中小企业服务月活动的通知", status: "draft", measures: 5 });
});

test("a single-measure document in English, by keyboard alone: one measure, said in the singular, nothing from its attachment list", async ({ page }) => {
  await signIn(page, "miit");
  await page.getByRole("button", { name: "English" }).click();
  await page.goto(`${server.origin}/plans/import`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("New plan from a policy document");
  const text = page.getByLabel(/^Text of the document/);
  await text.focus();
  await page.keyboard.insertText(
    "关于落实加大财税支持力度措施的通知\n\n各市人民政府：\n\n（一）加大财税支持力度。落实好小微企业各项税收优惠政策。（财政部牵头，税务总局参与）\n\n广西壮族自治区人民政府\n2021年3月1日\n\n附件：1. 专项资金管理办法\n2. 申报指南\n",
  );
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Read the document" })).toBeFocused();
  await page.keyboard.press("Enter");
  // "1 measures" was said before: the singular for one.
  await expect(page.getByTestId("import-summary")).toHaveText(/^Found 0 sections, 1 measure and \d+ warnings\.$/);
  await expect(page.getByTestId("import-stated-notice")).toContainText("The document states the division of work of 1 measure.");
  await expect(page.getByTestId("import-leads-missing")).toHaveText(/^1 measure has no lead yet: \(1\)\./);
  await expect(page.locator(".import-measure")).toHaveCount(1);
  await expect(page.locator(".import-measure")).not.toContainText("附件");
});
