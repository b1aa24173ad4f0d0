// A reporting round (定期调度), issue 14: the coordinator opens it; two departments report (one with a PDF attached);
// the third is late and reminded (and sees the reminder in its notices); the compiled report downloads as DOCX and
// PDF in both languages, LibreOffice converts the DOCX and pdftotext finds each department's report.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import type { Browser, Page } from "@playwright/test";
import { Api, currentPlanId, liaisonOf, overview, seriousViolations, signIn } from "./support.js";

const pdf = Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");

/** Yesterday in Beijing, YYYY-MM-DD: the round is already past its due date, so a department that has not reported is late. */
function beijingDate(offsetDays: number): string {
  return new Date(Date.now() + 8 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

async function liaisonPage(browser: Browser, department: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, liaisonOf(department));
  return page;
}

function pdfText(file: string): string {
  return execFileSync("pdftotext", [file, "-"], { encoding: "utf8" }).replace(/\s+/g, "");
}

test("a round is opened, two departments report (one with a PDF), one is late and reminded, the compiled report downloads", async ({ page, browser }) => {
  test.setTimeout(180_000);
  const api = await Api.signIn("miit");
  const data = await overview(api);
  await api.dispose();
  // A measure with at least three departments whose work is open (the round asks only about open work).
  const open = new Set(["assigned", "accepted", "in_progress"]);
  const measure = data.measures.find((m) => !m.closed && m.assignments.filter((a) => open.has(a.status)).length >= 3);
  if (measure === undefined) throw new Error("no measure with three open assignments in the demo data");
  const [first, second, third] = measure.assignments.filter((a) => open.has(a.status)).map((a) => a.department);
  if (first === undefined || second === undefined || third === undefined) throw new Error("unreachable");

  // The coordinator opens the round.
  await signIn(page, "miit");
  await page.getByRole("link", { name: "Reporting rounds" }).click();
  await expect(page.getByRole("heading", { name: "Reporting rounds", level: 1 })).toBeVisible();
  const form = page.getByTestId("open-round");
  // The form says which plan the round is for (an issued plan, the page's).
  await expect(form.getByLabel("Plan (分工方案)")).toHaveValue(String(data.plan.id));
  // Sent empty, each required field says so next to itself; a measure the plan lacks is named at its field.
  await form.getByLabel(/^Measures/).fill("999");
  await form.getByRole("button", { name: "Open the round" }).click();
  await expect(form.getByRole("textbox", { name: /^Title/ })).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByRole("textbox", { name: /^Title/ })).toHaveAccessibleDescription("Fill in: Title.");
  await expect(form.getByTestId("error-dueDate")).toHaveText("Fill in: Due date.");
  await expect(form.getByTestId("error-measureNumbers")).toHaveText("The plan has no measure 999.");
  const title = `E2E round ${Date.now()}`;
  await form.getByLabel(/^Title/).fill(title);
  // The server's refusal names its field: shown next to it.
  await form.getByLabel(/^Period from/).fill(beijingDate(-10));
  await form.getByLabel(/^Period to/).fill(beijingDate(-40));
  await form.getByLabel(/^Due date/).fill(beijingDate(-1));
  await form.getByLabel(/^Measures/).fill(String(measure.number));
  await form.getByRole("button", { name: "Open the round" }).click();
  await expect(form.getByTestId("error-periodEnd")).toHaveText("The period ends before it starts.");
  await expect(form.getByLabel(/^Period to/)).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByTestId("error-title")).toHaveCount(0);
  await form.getByLabel(/^Period from/).fill(beijingDate(-40));
  await form.getByLabel(/^Period to/).fill(beijingDate(-10));
  // Departments are ticked by name among the plan's members, not typed as codes.
  for (const d of [first, second, third]) await form.locator(`input[type="checkbox"][value="${d}"]`).check();
  await form.getByRole("button", { name: "Open the round" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Round opened: 3 reports" })).toBeVisible();
  // The form is cleared for the next round.
  await expect(form.getByLabel(/^Title/)).toHaveValue("");
  await expect(form.getByLabel(/^Measures/)).toHaveValue("");
  await expect(form.locator('input[type="checkbox"]:checked')).toHaveCount(0);
  await page.getByRole("link", { name: title }).click();
  await expect(page.getByRole("heading", { name: title, level: 1 })).toBeVisible();
  const roundId = Number(/\/rounds\/(\d+)/.exec(page.url())?.[1]);
  expect(roundId).toBeGreaterThan(0);
  expect(await seriousViolations(page)).toEqual([]);

  // The first department reports with a PDF attached (chosen with the keyboard-reachable picker).
  const a = await liaisonPage(browser, first);
  await a.goto(`/rounds/${roundId}`);
  const reportA = a.locator("article.round-report").first();
  await reportA.getByLabel(/进展情况/).fill(`${first}已印发实施细则`);
  await reportA.getByLabel(/存在问题/).fill(`${first}无重大问题`);
  await reportA.getByLabel(/下一步计划/).fill(`${first}开展督查`);
  await reportA.getByLabel("Choose files").setInputFiles({ name: "实施细则.pdf", mimeType: "application/pdf", buffer: pdf });
  await expect(reportA.getByTestId("chosen-files")).toContainText("实施细则.pdf");
  await reportA.getByRole("button", { name: "Submit" }).click();
  await expect(a.getByRole("status").filter({ hasText: "Report submitted." })).toBeVisible();
  await expect(a.locator("article.round-report").first().getByTestId("report-standing")).toHaveText("Reported late");
  await expect(a.locator("article.round-report").first().getByRole("link", { name: "实施细则.pdf", exact: true })).toBeVisible();
  // Previewed inline as a PDF with its own strict policy; the same department and the coordinator may open it.
  const href = await a.locator("article.round-report").first().getByRole("link", { name: "Preview 实施细则.pdf" }).getAttribute("href");
  const preview = await a.request.get(href ?? "");
  expect(preview.headers()["content-type"]).toBe("application/pdf");
  expect(preview.headers()["content-security-policy"]).toContain("default-src 'none'");
  expect(await seriousViolations(a)).toEqual([]);
  await a.context().close();

  // The second reports without a file; a draft first.
  const b = await liaisonPage(browser, second);
  await b.goto(`/rounds/${roundId}`);
  const reportB = b.locator("article.round-report").first();
  await reportB.getByLabel(/进展情况/).fill(`${second}完成调研`);
  await reportB.getByRole("button", { name: "Save draft" }).click();
  await expect(b.getByRole("status").filter({ hasText: "Draft saved." })).toBeVisible();
  const draft = b.locator("article.round-report").first();
  await draft.getByLabel(/存在问题/).fill("无");
  await draft.getByLabel(/下一步计划/).fill(`${second}形成报告`);
  await draft.getByRole("button", { name: "Submit" }).click();
  await expect(b.getByRole("status").filter({ hasText: "Report submitted." })).toBeVisible();
  await b.context().close();

  // The coordinator's grid: two reported (late), one late and not reported; remind it.
  await page.reload();
  const grid = page.getByTestId("round-grid");
  await expect(grid.locator(`tr[data-department="${first}"]`)).toHaveAttribute("data-standing", "reported_late");
  await expect(grid.locator(`tr[data-department="${second}"]`)).toHaveAttribute("data-standing", "reported_late");
  const late = grid.locator(`tr[data-department="${third}"]`);
  await expect(late).toHaveAttribute("data-standing", "late");
  await expect(late).toContainText("Late, not reported");
  await expect(grid.locator(`tr[data-department="${first}"]`).getByRole("link", { name: "实施细则.pdf", exact: true })).toBeVisible();
  await late.getByRole("button", { name: /^Remind/ }).click();
  await expect(page.getByRole("status").filter({ hasText: "Reminder sent" })).toBeVisible();
  await expect(late.locator("td").nth(3)).toHaveText("1");

  // The late department sees the reminder in its notices.
  const c = await liaisonPage(browser, third);
  await expect(c.getByTestId("notices-unread-count")).toBeVisible();
  await c.getByRole("link", { name: /^Notices/ }).click();
  await expect(c.getByTestId("notice-list")).toContainText(`Reminder: report on measure ${measure.number}`);
  expect(await seriousViolations(c)).toEqual([]);
  // Opening the notice's link marks it read and leads to the round.
  await c.getByTestId("notice-list").getByRole("link", { name: /^Reminder:/ }).click();
  await expect(c).toHaveURL(new RegExp(`/rounds/${roundId}$`));
  await c.context().close();

  // The administrator's delivery log (webhooks and email are off in this run: nothing was sent).
  const admin = await browser.newContext();
  const adminPage = await admin.newPage();
  await signIn(adminPage, "admin");
  await adminPage.getByRole("link", { name: "Deliveries" }).click();
  await expect(adminPage.getByText("Nothing sent yet")).toBeVisible();
  expect(await seriousViolations(adminPage)).toEqual([]);
  await admin.close();

  // The compiled report, DOCX and PDF, in both languages.
  const dir = mkdtempSync(join(tmpdir(), "countersign-e2e-round-"));
  const soffice = ["/usr/bin/soffice", "/usr/bin/libreoffice"].find((p) => existsSync(p));
  if (soffice === undefined) throw new Error("LibreOffice is not installed: run scripts/ensure-system-packages.sh");
  for (const lang of ["zh", "en"] as const) {
    const [pdfDownload] = await Promise.all([page.waitForEvent("download"), page.getByTestId(`compiled-pdf-${lang}`).click()]);
    const pdfFile = join(dir, `compiled-${lang}.pdf`);
    await pdfDownload.saveAs(pdfFile);
    const [docxDownload] = await Promise.all([page.waitForEvent("download"), page.getByTestId(`compiled-docx-${lang}`).click()]);
    const docxFile = join(dir, `compiled-${lang}.docx`);
    await docxDownload.saveAs(docxFile);
    const out = join(dir, `converted-${lang}`);
    execFileSync(soffice, [`-env:UserInstallation=file://${join(dir, "profile")}`, "--headless", "--convert-to", "pdf", "--outdir", out, docxFile], { stdio: "pipe", timeout: 120_000 });
    for (const content of [pdfText(pdfFile), pdfText(join(out, `compiled-${lang}.pdf`))]) {
      expect(content).toContain(`${first}已印发实施细则`);
      expect(content).toContain(`${second}形成报告`);
      expect(content).toContain("实施细则.pdf");
      expect(content).toContain(lang === "zh" ? "逾期未报" : "Late,notreported");
    }
  }
});

test("a round of every department reads a page at a time: filters with the round's counts, “show more” by keyboard", async ({ page }) => {
  test.setTimeout(120_000);
  const miit = await Api.signIn("miit");
  const planId = await currentPlanId(miit);
  const round = await miit.mutate<{ id: number; reports: number }>("round.open", {
    planId,
    title: `E2E paged round ${Date.now()}`,
    periodStart: beijingDate(-40),
    periodEnd: beijingDate(-10),
    dueDate: beijingDate(30),
  });
  expect(round.reports).toBeGreaterThan(50);
  // MOF submits one report, so that one standing has a count of its own.
  const mofApi = await Api.signIn(liaisonOf("MOF"));
  const mofReports = (await mofApi.query<{ reports: Array<{ id: number; version: number }> }>("round.reports", { roundId: round.id, limit: 200 })).reports;
  const first = mofReports[0];
  if (first === undefined) throw new Error("the round asks MOF for nothing");
  await mofApi.mutate("round.submit", { reportId: first.id, expectedVersion: first.version, progress: "已完成", problems: "无", nextSteps: "继续推进" });
  await mofApi.dispose();
  await miit.dispose();

  await signIn(page, "miit");
  await page.goto(`/rounds/${round.id}`);
  const grid = page.getByTestId("round-grid");
  const rows = grid.locator("tbody tr");
  await expect(page.getByTestId("round-shown")).toHaveText(`Showing 50 of ${round.reports} reports.`);
  await expect(rows).toHaveCount(50);
  // "Show more" with the keyboard: the next page is added and focus moves to its first report.
  const more = page.getByTestId("round-show-more");
  await more.focus();
  await page.keyboard.press("Enter");
  await expect(rows).toHaveCount(Math.min(100, round.reports));
  await expect(rows.nth(50).locator("th")).toBeFocused();
  await expect(page.getByTestId("round-shown")).toHaveText(`Showing ${Math.min(100, round.reports)} of ${round.reports} reports.`);

  // The filters: by department, then by standing (the option names the round's count).
  const filters = page.getByTestId("round-filters");
  await filters.getByLabel("Department").selectOption("MOF");
  await expect(page.getByTestId("round-shown")).toHaveText(`Showing ${mofReports.length} of ${mofReports.length} reports.`);
  await expect(rows).toHaveCount(mofReports.length);
  expect(new Set(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-department"))))).toEqual(new Set(["MOF"]));
  await expect(filters.getByLabel("State").locator("option", { hasText: "Reported (1)" })).toHaveCount(1);
  await filters.getByLabel("State").selectOption("reported");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute("data-report-id", String(first.id));
  await filters.getByLabel("Status").selectOption("draft");
  await expect(rows).toHaveCount(0);
  await expect(page.getByTestId("round-shown")).toHaveText("Showing 0 of 0 reports.");
  expect(await seriousViolations(page)).toEqual([]);
  // Back to every report: the pages already read are kept.
  await filters.getByRole("button", { name: "Clear the filters" }).click();
  await expect(rows).toHaveCount(Math.min(100, round.reports));
});
