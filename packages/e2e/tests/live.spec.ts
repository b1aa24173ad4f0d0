// When another department acts, open pages update within seconds, without a reload (tRPC subscription over SSE).
import { expect, test } from "@playwright/test";
import { Api, liaisonOf, overview, signIn } from "./support.js";

test("the tracking grid and an open assignment page update live when a liaison acts elsewhere", async ({ browser }) => {
  const coordinatorApi = await Api.signIn("miit");
  const data = await overview(coordinatorApi);
  await coordinatorApi.dispose();
  const measure = data.measures.find((m) => m.assignments.some((a) => a.status === "assigned"));
  const target = measure?.assignments.find((a) => a.status === "assigned");
  expect(measure && target).toBeTruthy();
  if (!measure || !target) return;

  const coordinatorContext = await browser.newContext();
  const liaisonContext = await browser.newContext();
  const tracking = await coordinatorContext.newPage();
  const assignmentPage = await liaisonContext.newPage();
  await signIn(tracking, "miit");
  await signIn(assignmentPage, liaisonOf(target.department));
  await assignmentPage.goto(`/assignments/${target.id}`);
  const cell = tracking.locator(`[data-testid="signoff-grid"] tr[data-measure="${measure.number}"] td[data-department="${target.department}"]`);
  await expect(cell).toHaveAttribute("data-status", "assigned");
  await expect(assignmentPage.locator("article.assignment-page")).toHaveAttribute("data-status", "assigned");
  // Both pages are listening before anyone acts.
  await expect(tracking.locator("[data-live-status=pending]")).toBeVisible();
  await expect(assignmentPage.locator("[data-live-status=pending]")).toBeVisible();

  // Someone else of the department accepts it, from another session (here: straight through the API).
  const liaison = await Api.signIn(liaisonOf(target.department));
  await liaison.mutate("assignment.accept", { id: target.id, expectedVersion: target.version });
  await liaison.dispose();

  await expect(cell).toHaveAttribute("data-status", "accepted", { timeout: 5_000 });
  await expect(assignmentPage.locator("article.assignment-page")).toHaveAttribute("data-status", "accepted", { timeout: 5_000 });
  await expect(assignmentPage.getByRole("button", { name: "Accept", exact: true })).toHaveCount(0);

  await coordinatorContext.close();
  await liaisonContext.close();
});
