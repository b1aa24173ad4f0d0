// An expired session sends the person back to sign in, and what they were typing is still there afterwards.
import { expect, test } from "@playwright/test";
import { Api, demoPassword, liaisonOf, overview, signIn } from "./support.js";

test("an expired session returns to sign-in without losing what was typed", async ({ page, context }) => {
  const coordinator = await Api.signIn("miit");
  const data = await overview(coordinator);
  await coordinator.dispose();
  // An assignment whose department can report progress now.
  const target = data.measures
    .filter((m) => !m.closed)
    .flatMap((m) => m.assignments)
    .find((a) => (a.status === "accepted" || a.status === "in_progress") && a.role === "supporting");
  expect(target).toBeDefined();
  if (!target) return;
  const username = liaisonOf(target.department);

  await signIn(page, username);
  await page.goto(`/assignments/${target.id}`);
  await page.getByRole("button", { name: "Report progress", exact: true }).click();
  const note = "Draft agreed with the provinces; the notice goes out next week.";
  await page.getByRole("dialog", { name: "Report progress" }).getByLabel(/Note/).fill(note);

  // The session ends (expired, or removed on the server): the next request is refused.
  await context.clearCookies();
  await page.getByRole("dialog", { name: "Report progress" }).getByRole("button", { name: "Report progress" }).click();

  await expect(page).toHaveURL(/\/sign-in\?.*expired=1/);
  await expect(page.getByText("Your session has expired.")).toBeVisible();
  // The username is kept; the password never is.
  await expect(page.getByLabel("Username")).toHaveValue(username);
  await expect(page.getByLabel("Password")).toHaveValue("");
  await page.getByLabel("Password").fill(demoPassword);
  await page.getByRole("button", { name: "Sign in" }).click();

  // Back where they were, the dialog open again with the note as typed.
  await expect(page).toHaveURL(new RegExp(`/assignments/${target.id}$`));
  const dialog = page.getByRole("dialog", { name: "Report progress" });
  await expect(dialog.getByLabel(/Note/)).toHaveValue(note);
  await dialog.getByRole("button", { name: "Report progress" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.locator(".timeline")).toContainText(note);
});
