// The lead ministry divides the work and issues a plan. The demo plan is already issued, so this spec starts a
// second server of its own on a fresh database (not in demo mode: the default plan is loaded as a draft) with a
// coordinator account created by the CLI, as a real deployment would.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";
import { keepScreenshot, seriousViolations } from "./support.js";

const serverDir = fileURLToPath(new URL("../../../apps/server/dist/", import.meta.url));
const password = "issue-plan-test-password";
let server: ChildProcess | null = null;
let dir = "";
let origin = "";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "countersign-issue-"));
  const env = { ...process.env, DATABASE_PATH: join(dir, "countersign.sqlite") };
  const created = spawnSync(
    process.execPath,
    [join(serverDir, "cli.js"), "user", "add", "--username", "coord", "--role", "coordinator", "--department", "MIIT", "--password-stdin"],
    { env, input: password, encoding: "utf8" },
  );
  expect(created.status, created.stderr).toBe(0);
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, [join(serverDir, "main.js")], { env: { ...env, PORT: String(port), HOST: "127.0.0.1" }, stdio: "ignore" });
  await expect
    .poll(async () => (await fetch(`${origin}/health`).catch(() => null))?.status ?? 0, { timeout: 20_000 })
    .toBe(200);
});

test.afterAll(() => {
  server?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("the coordinator edits the division of work and issues the plan", async ({ page }) => {
  await page.goto(`${origin}/sign-in`);
  await page.getByLabel("Username").fill("coord");
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/tracking/);
  await expect(page.getByText("This plan has not been issued yet.")).toBeVisible();

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Division of work" }).click();
  const item = page.locator('.division-item[data-measure="23"]');
  await item.getByRole("button", { name: "Edit Measure (23)" }).click();
  await item.getByLabel(/^Lead department/).selectOption("MIIT");
  await item.getByRole("checkbox", { name: "State Administration for Market Regulation" }).check();
  expect(await seriousViolations(page)).toEqual([]);
  await item.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Measure (23) saved." })).toBeVisible();
  await expect(item).toContainText("SAMR");
  await keepScreenshot(page, "division-draft");

  await page.getByLabel("Deadline date").fill("2027-06-30");
  await page.getByRole("button", { name: "Issue the plan" }).click();
  const confirm = page.getByRole("dialog", { name: "Issue the plan" });
  await expect(confirm).toContainText("30 Jun 2027");
  await confirm.getByRole("button", { name: "Issue the plan" }).click();
  await expect(page.getByRole("status").filter({ hasText: "The plan has been issued." })).toBeVisible();
  await expect(page.getByTestId("plan-issued")).toBeVisible();

  // The grid now holds every measure, each department's assignment still to acknowledge.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sign-off tracking" }).click();
  const grid = page.getByTestId("signoff-grid");
  await expect(grid.locator("tbody tr")).toHaveCount(25);
  await expect(grid.locator('tr[data-measure="23"] td[data-department="SAMR"]')).toHaveAttribute("data-status", "assigned");
  await expect(grid.locator("td[data-status]:not([data-status=assigned])")).toHaveCount(0);
});
