// Issue 11: an administrator adds 教育部 to the installation from the register of departments (found by its name,
// with the keyboard), then creates a liaison account for it on the same page; a unit the register lacks is added by
// hand, renamed and retired from a date. Adding departments changes what other specs see: a server of its own.
import { expect, test } from "@playwright/test";
import { useOwnServer } from "./own-server.js";
import { keepScreenshot, seriousViolations, signIn } from "./support.js";

const server = useOwnServer({ demo: true });

test("an administrator adds 教育部 from the register and creates a liaison account for it on the same page", async ({ page }) => {
  await signIn(page, "admin", { origin: server.origin });
  await page.getByRole("link", { name: "Administration", exact: true }).click();
  const section = page.getByTestId("departments-section");
  await expect(section.getByRole("heading", { name: "Departments" })).toBeVisible();
  const table = section.getByTestId("departments");
  await expect(table.locator("tbody tr")).toHaveCount(17);
  // The register's history beside the department: CBIRC was replaced by NAFR on 2023-05-18.
  await expect(table.locator('tr[data-department="CBIRC"]')).toContainText("Replaced by National Administration of Financial Regulation (NAFR) from 2023-05-18");

  await section.getByRole("button", { name: "Add a department" }).click();
  const dialog = page.getByRole("dialog", { name: "Add a department" });
  await expect(dialog.getByLabel("From the register")).toBeChecked();
  // Searched with the keyboard alone: type, Enter, Tab to the result.
  await dialog.getByLabel("Search the register by any name").fill("教育部");
  await dialog.getByLabel("Search the register by any name").press("Enter");
  const results = dialog.getByTestId("register-results");
  const moe = results.getByRole("button", { name: "Add Ministry of Education (MOE)" });
  await expect(moe).toBeEnabled();
  expect(await seriousViolations(page)).toEqual([]);
  await moe.focus();
  await page.keyboard.press("Enter");
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("status").filter({ hasText: "Ministry of Education (MOE) added." })).toBeVisible();
  const row = table.locator('tr[data-department="MOE"]');
  await expect(row).toContainText("教育部");
  await expect(row).toContainText("Ministry of Education");
  await expect(row).toContainText("Ministry or commission");
  await keepScreenshot(page, "administration-departments");

  // Searching again shows it as already added.
  await section.getByRole("button", { name: "Add a department" }).click();
  await dialog.getByLabel("Search the register by any name").fill("教育");
  await dialog.getByRole("button", { name: "Search" }).click();
  await expect(results.getByRole("button", { name: "Add Ministry of Education (MOE)" })).toBeDisabled();
  await expect(results.locator('li[data-code="MOE"]')).toContainText("already added");
  await dialog.getByRole("button", { name: "Cancel" }).click();

  // A liaison account for the new department, on the same page.
  await page.getByRole("button", { name: "New account" }).click();
  const form = page.getByRole("dialog", { name: "New account" });
  await form.getByLabel("Username").fill("moe.liaison");
  await form.getByLabel("Name in Chinese").fill("教育部联络员");
  await form.getByLabel("Name in English").fill("MOE liaison");
  await form.getByLabel("Department").selectOption("MOE");
  await form.getByRole("button", { name: "Create the account" }).click();
  const reset = page.getByRole("dialog", { name: /One-time reset code for/ });
  await expect(reset.getByTestId("reset-link")).toBeVisible();
  await reset.getByRole("button", { name: "Close" }).click();
  const account = page.getByTestId("accounts").locator('tr[data-username="moe.liaison"]');
  await expect(account).toContainText("MOE liaison");
  await expect(account).toContainText("MOE");
});

test("a unit the register lacks is added by hand, renamed and retired from a date, in either language", async ({ page }) => {
  await signIn(page, "admin", { origin: server.origin });
  await page.goto(`${server.origin}/admin`);
  const section = page.getByTestId("departments-section");
  await section.getByRole("button", { name: "Add a department" }).click();
  const dialog = page.getByRole("dialog", { name: "Add a department" });
  await dialog.getByLabel("By hand (a unit the register lacks)").check();
  await dialog.getByLabel("Code").fill("SMEB");
  await dialog.getByLabel("Full name in Chinese").fill("国家中小企业发展局");
  await dialog.getByRole("button", { name: "Add", exact: true }).click();
  await expect(dialog.getByTestId("department-error")).toContainText("Chinese and English names");
  await dialog.getByLabel("Full name in English").fill("SME Development Bureau");
  await dialog.getByRole("button", { name: "Add", exact: true }).click();
  await expect(dialog).toBeHidden();
  const row = section.getByTestId("departments").locator('tr[data-department="SMEB"]');
  await expect(row).toContainText("Added by hand");

  await row.getByRole("button", { name: "Rename SMEB" }).click();
  const rename = page.getByRole("dialog", { name: "Rename SMEB" });
  await rename.getByLabel("Short form in Chinese").fill("中小企业局");
  await rename.getByRole("button", { name: "Save the names" }).click();
  await expect(rename).toBeHidden();
  await expect(row).toContainText("（中小企业局）");

  await row.getByRole("button", { name: "Retire SMEB" }).click();
  const retire = page.getByRole("dialog", { name: "Retire SMEB" });
  await retire.getByLabel("Retired from").fill("2030-01-01");
  await retire.getByRole("button", { name: "Retire" }).click();
  await expect(retire).toBeHidden();
  await expect(row).toContainText("2030-01-01");
  await expect(row.getByRole("button", { name: "Retire SMEB" })).toHaveCount(0);

  await page.getByRole("button", { name: /中文/ }).click();
  await expect(section.getByRole("heading", { name: "部门" })).toBeVisible();
  await expect(row).toContainText("手工添加");
  expect(await seriousViolations(page)).toEqual([]);
});
