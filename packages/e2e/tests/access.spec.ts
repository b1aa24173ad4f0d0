// A liaison sees and acts on their own department's work only, in the page and at the API.
import { expect, test } from "@playwright/test";
import { Api, overview, signIn } from "./support.js";

test("a liaison cannot reach another department's inbox, assignments or actions", async ({ page }) => {
  const coordinator = await Api.signIn("miit");
  const data = await overview(coordinator);
  const ndrcAssignment = data.measures.flatMap((m) => m.assignments).find((a) => a.department === "NDRC" && a.status === "assigned")
    ?? data.measures.flatMap((m) => m.assignments).find((a) => a.department === "NDRC");
  expect(ndrcAssignment).toBeDefined();
  if (!ndrcAssignment) return;

  await signIn(page, "mof");
  await expect(page).toHaveURL(/\/inbox$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Inbox of Ministry of Finance");
  // A liaison's navigation offers no tracking, no division of work and no department picker.
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Sign-off tracking" })).toHaveCount(0);
  await expect(nav.getByRole("link", { name: "Division of work" })).toHaveCount(0);
  await expect(page.getByLabel("Department")).toHaveCount(0);

  // Another department's inbox, typed into the address bar.
  await page.goto("/inbox/NDRC");
  await expect(page.getByText("A liaison can open only their own department's inbox.")).toBeVisible();
  await expect(page.locator("table")).toHaveCount(0);

  // Another department's assignment: refused by the server, no action offered.
  await page.goto(`/assignments/${ndrcAssignment.id}`);
  await expect(page.getByRole("alert").filter({ hasText: "You are not allowed to see this." })).toBeVisible();
  for (const action of ["Accept", "Decline", "Sign off", "Report progress"]) {
    await expect(page.getByRole("button", { name: action, exact: true })).toHaveCount(0);
  }

  // And straight at the API, with the right version, the action is still refused.
  const mof = await Api.signIn("mof");
  const refused = await mof.mutateRaw("assignment.accept", { id: ndrcAssignment.id, expectedVersion: ndrcAssignment.version });
  expect([403, 404]).toContain(refused.status);
  await expect(mof.query("inbox.list", { department: "NDRC" })).rejects.toThrow(/403|404/);
  await mof.dispose();
  await coordinator.dispose();
});

test("an observer reads any department's inbox, read-only", async ({ page }) => {
  await signIn(page, "observer");
  await expect(page).toHaveURL(/\/tracking/);
  await page.goto("/inbox/NDRC");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Inbox of National Development and Reform Commission");
  await expect(page.getByText("You are viewing this department's inbox read-only.")).toBeVisible();
  await page.getByRole("button", { name: /^All/ }).click();
  await page.locator("tbody tr").first().getByRole("link").first().click();
  await expect(page.locator("article.assignment-page")).toBeVisible();
  await expect(page.getByText("You can read this assignment but not act on it.")).toBeVisible();
  await expect(page.locator(".actions button")).toHaveCount(0);
});
