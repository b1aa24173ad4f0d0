// Importing files in the browser: the coordinator uploads a Word document whose measures state their division of
// work, and an Excel task-division table; the review shows what is stated (§) and what is proposed (*), the
// coordinator accepts all stated responsibilities at once, saves and issues; the stated lead's liaison then finds
// the assignment in the inbox. The files are written here with the docx and exceljs libraries. Issuing plans would
// change what other specs see, so this spec runs a demo server of its own.
import { Document, Packer, Paragraph, TextRun } from "docx";
import ExcelJS from "exceljs";
import { expect, test } from "@playwright/test";
import type { Page } from "@playwright/test";
import { useOwnServer } from "./own-server.js";
import { keepScreenshot, seriousViolations, signIn as signInAt } from "./support.js";

test.describe.configure({ mode: "serial", timeout: 120_000 });

const server = useOwnServer({ demo: true });
const signIn = (page: Page, username: string): Promise<void> => signInAt(page, username, { origin: server.origin });

async function query<T>(page: Page, path: string, input: unknown): Promise<T> {
  const response = await page.request.get(`${server.origin}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`);
  expect(response.ok(), `${path}: ${response.status()}`).toBe(true);
  return ((await response.json()) as { result: { data: T } }).result.data;
}

const documentLines = [
  "关于支持中小企业稳健发展的若干措施",
  "一、加大财税支持",
  "（一）落实税费优惠政策。对小微企业减免税费，2030年底前出台实施细则。（财政部、税务总局按职责分工负责）",
  "（二）拓宽融资渠道。发展普惠金融。（工业和信息化部牵头，人民银行、金融监管总局参与）",
  "二、优化发展环境",
  "（三）加强职业技能培训，完善中小企业人才培养体系。",
];

async function docx(): Promise<Buffer> {
  return Packer.toBuffer(new Document({ sections: [{ children: documentLines.map((line) => new Paragraph({ children: [new TextRun(line)] })) }] }));
}

async function xlsx(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("任务分工");
  sheet.addRow(["关于促进中小企业创新的任务分工"]);
  sheet.addRow(["序号", "重点任务", "牵头单位", "参与单位", "完成时限"]);
  sheet.addRow(["1", "建设中小企业创新服务平台", "科技部", "工业和信息化部、财政部", "2027年6月30日"]);
  sheet.addRow(["2", "开展知识产权护航行动", "国家知识产权局", "市场监管总局", "持续推进"]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Reads the file, accepts every stated responsibility, saves and issues; returns the new plan's id. */
async function importAndIssue(
  page: Page,
  name: string,
  mimeType: string,
  buffer: Buffer,
  expected: { measures: number; stated: number; statedDeadlines?: Array<[number, string]> },
): Promise<number> {
  await page.goto(`${server.origin}/plans/import`);
  await page.getByLabel("Upload a file (.docx, .pdf, .xlsx, .csv or .txt)").setInputFiles({ name, mimeType, buffer });
  await expect(page.getByTestId("import-file-note")).toContainText(`${name}`);
  await page.getByRole("button", { name: "Read the file" }).click();
  await expect(page.getByTestId("import-summary")).toContainText(`${expected.measures} measures`);

  const matrix = page.getByTestId("import-matrix");
  await expect(matrix.getByTestId("import-stated")).toHaveCount(expected.stated);
  // Stated rows start empty until accepted; the measure's text is beside its division.
  await expect(page.getByTestId("import-leads-missing")).toBeVisible();
  await expect(matrix.locator("details.import-measure-text").first()).toBeVisible();
  await page.getByTestId("import-accept-stated").click();
  await expect(page.getByTestId("import-stated-notice")).toHaveCount(0);
  await expect(matrix.locator('td[data-source="stated"][data-role="lead"]')).toHaveCount(expected.stated);
  expect(await seriousViolations(page)).toEqual([]);
  await keepScreenshot(page, `import-${name.replace(/\W+/g, "-")}`);

  // Any measure still without a lead (nothing stated, nothing proposed) gets MIIT.
  for (const row of await matrix.locator("tr[data-measure]").all()) {
    const number = await row.getAttribute("data-measure");
    if ((await row.locator('td[data-role="lead"]').count()) === 0) {
      await page.getByLabel(`Measure (${number}), Ministry of Industry and Information Technology`).selectOption("lead");
    }
  }
  if ((await page.getByLabel("Title in Chinese").inputValue()) === "") await page.getByLabel("Title in Chinese").fill(name);
  // A table without section rows has no section: the plan needs one.
  if (/Found 0 sections/.test((await page.getByTestId("import-summary").textContent()) ?? "")) {
    await page.getByRole("button", { name: "Add a section" }).click();
    await page.getByLabel("Title of the section Section 1").fill("任务");
  }
  await page.getByRole("button", { name: "Save as a draft plan" }).click();
  await expect(page.getByTestId("import-saved")).toBeVisible();
  const plans = await query<Array<{ id: number; status: string }>>(page, "catalog.plans", undefined);
  const created = plans.at(-1);
  if (!created) throw new Error("no plan saved");
  await page.getByLabel("Deadline date").fill("2027-12-31");
  // Deadlines the document states are filled in per measure and shown as stated.
  const stated = page.getByTestId("per-measure-deadlines");
  for (const [measure, due] of expected.statedDeadlines ?? []) {
    await expect(stated.getByLabel(`Measure (${measure})`, { exact: true })).toHaveValue(due);
    await expect(stated.locator(`li[data-measure="${measure}"]`)).toContainText("Stated in the document");
  }
  await page.getByRole("button", { name: "Issue the plan" }).click();
  await page.getByRole("dialog", { name: "Issue the plan" }).getByRole("button", { name: "Issue the plan" }).click();
  await expect(page).toHaveURL(new RegExp(`/tracking\\?plan=${created.id}$`));
  return created.id;
}

async function liaisonSees(page: Page, username: string, planId: number, measureNumber: number, due?: string): Promise<void> {
  await page.getByRole("button", { name: "Sign out" }).click();
  await signIn(page, username);
  const inbox = await query<{ rows: Array<{ id: number; measureNumber: number; role: string }> }>(page, "inbox.list", { planId, limit: 50 });
  const row = inbox.rows.find((r) => r.measureNumber === measureNumber);
  expect(row?.role).toBe("lead");
  await page.goto(`${server.origin}/inbox`);
  // The inbox has a section labelled by its plans heading too: the select by its role.
  await page.getByRole("combobox", { name: "Plan", exact: true }).selectOption(String(planId));
  await page.getByRole("button", { name: /^All/ }).click();
  await expect(page.locator(`tr[data-assignment-id="${row?.id}"]`)).toBeVisible();
  if (due !== undefined) await expect(page.locator(`tr[data-assignment-id="${row?.id}"]`)).toContainText(due);
}

test("a .docx whose measures state their division: accept all stated, issue; MOF's liaison sees the assignment it leads", async ({ page }) => {
  await signIn(page, "miit");
  const planId = await importAndIssue(
    page,
    "措施.docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    await docx(),
    { measures: 3, stated: 2, statedDeadlines: [[1, "2030-12-31"]] },
  );
  const plan = await query<{ responsibilities: Array<{ measureNumber: number; department: string; role: string }> }>(page, "catalog.plan", { planId });
  expect(plan.responsibilities.filter((r) => r.measureNumber <= 2).map((r) => `${r.measureNumber}:${r.department}:${r.role}`)).toEqual([
    "1:MOF:lead",
    "1:STA:supporting",
    "2:MIIT:lead",
    "2:PBOC:supporting",
    "2:NAFR:supporting",
  ]);
  // Measure (1) states 2030年底前: MOF's assignment is due 31 Dec 2030, not the plan's 31 Dec 2027.
  await liaisonSees(page, "mof", planId, 1, "31 Dec 2030");
});

test("an .xlsx task-division table: accept all stated, issue; MOST's liaison sees the task it leads", async ({ page }) => {
  await signIn(page, "miit");
  const planId = await importAndIssue(page, "分工.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", await xlsx(), {
    measures: 2,
    stated: 2,
    statedDeadlines: [[1, "2027-06-30"]],
  });
  await liaisonSees(page, "most", planId, 1, "30 Jun 2027");
});
