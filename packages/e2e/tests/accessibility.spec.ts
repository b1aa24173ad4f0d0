// axe-core on every main page (no serious or critical violation), keyboard use of the action dialog,
// and a screenshot of each page kept as an artefact.
import { expect, test } from "@playwright/test";
import { Api, keepScreenshot, overview, seriousViolations, signIn } from "./support.js";

test("sign-in page", async ({ page }) => {
  await page.goto("/sign-in");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await keepScreenshot(page, "sign-in");
});

test("liaison's inbox and assignment page, and the action dialog by keyboard", async ({ page }) => {
  await signIn(page, "mof");
  await page.getByRole("button", { name: /^All/ }).click();
  await expect(page.locator("tbody tr").first()).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await keepScreenshot(page, "inbox");

  // The skip link is the first thing the keyboard reaches, and it leads to the main content.
  await page.reload();
  await expect(page.locator("tbody tr").first()).toBeVisible();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to main content" })).toBeFocused();
  await page.locator("tbody tr").first().getByRole("link").first().click();
  await expect(page.locator("article.assignment-page")).toBeVisible();
  await expect(page.locator(".timeline li").first()).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await keepScreenshot(page, "assignment");

  // Any action that asks for text opens a modal dialog: focus moves in, Escape closes it, focus comes back.
  const opener = page.locator(".actions button").filter({ hasNotText: /^Accept$/ }).first();
  if ((await opener.count()) > 0) {
    await opener.focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog");
    await expect(dialog).toBeVisible();
    await expect(dialog.locator(":focus")).toHaveCount(1);
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    await expect(opener).toBeFocused();
  }
});

test("coordinator's tracking page: the grid has 25 measures and 17 departments with headers", async ({ page }) => {
  await signIn(page, "miit");
  await expect(page).toHaveURL(/\/tracking/);
  const grid = page.getByTestId("signoff-grid");
  await expect(grid.locator("tbody tr")).toHaveCount(25);
  await expect(grid.locator("tbody th[scope=row]")).toHaveCount(25);
  // Measure, measure status, then one column per department.
  await expect(grid.locator("thead th[scope=col]")).toHaveCount(2 + 17);
  expect(await seriousViolations(page)).toEqual([]);
  await keepScreenshot(page, "tracking");

  await page.goto("/measures/7");
  await expect(page.locator("article.measure-page")).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await keepScreenshot(page, "measure");

  await page.goto("/division");
  await expect(page.locator(".division-item")).toHaveCount(25);
  expect(await seriousViolations(page)).toEqual([]);
  await keepScreenshot(page, "division");
});

test("responsibility matrix, with and without the status overlay, and in Chinese", async ({ page }) => {
  await signIn(page, "miit");
  await page.goto("/matrix");
  const matrix = page.getByTestId("matrix");
  await expect(matrix.locator("tr.section-row")).toHaveCount(7);
  await expect(matrix.locator("tbody th[scope=row]")).toHaveCount(25);
  await expect(matrix.locator("thead th[scope=col]")).toHaveCount(1 + 17);
  await expect(page.getByRole("button", { name: "Matrix (Excel)" })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await keepScreenshot(page, "matrix");
  // The download buttons reach the server's exports.
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Matrix (CSV)" }).click();
  expect((await download).suggestedFilename()).toMatch(/\.csv$/);

  await page.getByLabel("Show each assignment's state").check();
  await expect(matrix.locator("td[data-status=signed_off]").first()).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await keepScreenshot(page, "matrix-status");

  await page.getByRole("button", { name: "中文" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("责任分工矩阵");
  await keepScreenshot(page, "matrix-zh");
  await page.emulateMedia({ media: "print" });
  await keepScreenshot(page, "matrix-print");
});

test("an observer's tracking page offers no actions", async ({ page }) => {
  const coordinator = await Api.signIn("miit");
  const data = await overview(coordinator);
  await coordinator.dispose();
  await signIn(page, "observer");
  await expect(page.getByTestId("signoff-grid").locator("tbody tr")).toHaveCount(data.measures.length);
  await expect(page.getByRole("button", { name: "Remind", exact: true })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Reassign", exact: true })).toHaveCount(0);
  expect(await seriousViolations(page)).toEqual([]);
});
