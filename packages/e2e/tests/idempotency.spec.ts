// The web client sends an Idempotency-Key with each action (one per intent): a double submission of one dialog, and
// a second press after the answer was lost on the way back, are answered by the server once and record one event.
// Without the key the second request would meet a new version and be refused as a conflict.
import { expect, test } from "@playwright/test";
import type { Page, Request } from "@playwright/test";
import { Api, liaisonOf, overview, signIn } from "./support.js";

interface HistoryEvent {
  type: string;
  payload: Record<string, unknown>;
}

/** An assignment whose department can report progress now, far from the ones other specs pick first. */
async function progressTarget(): Promise<{ id: number; department: string }> {
  const coordinator = await Api.signIn("miit");
  const data = await overview(coordinator);
  await coordinator.dispose();
  const candidates = data.measures
    .filter((m) => !m.closed)
    .flatMap((m) => m.assignments)
    .filter((a) => a.status === "accepted" || a.status === "in_progress");
  const target = candidates.at(-1);
  if (!target) throw new Error("no assignment can report progress");
  return target;
}

async function progressNotes(department: string, id: number, note: string): Promise<number> {
  const liaison = await Api.signIn(liaisonOf(department));
  const detail = await liaison.query<{ history: HistoryEvent[] }>("assignment.get", { id });
  await liaison.dispose();
  return detail.history.filter((e) => e.type === "assignment.progress_reported" && e.payload["note"] === note).length;
}

async function openReportProgress(page: Page, id: number, note: string) {
  await page.goto(`/assignments/${id}`);
  await page.getByRole("button", { name: "Report progress", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Report progress" });
  await dialog.getByLabel(/Note/).fill(note);
  return dialog;
}

const isReportProgress = (request: Request) => request.method() === "POST" && request.url().includes("/trpc/assignment.reportProgress");

test("a double submission of one action dialog records one event", async ({ page }) => {
  const target = await progressTarget();
  await signIn(page, liaisonOf(target.department));
  const note = `Double-submitted progress ${Date.now()}`;
  const dialog = await openReportProgress(page, target.id, note);

  const sent: Request[] = [];
  page.on("request", (request) => {
    if (isReportProgress(request)) sent.push(request);
  });
  const answers: number[] = [];
  page.on("response", (response) => {
    if (isReportProgress(response.request())) answers.push(response.status());
  });
  // Two submissions in one go, before the page can disable anything: what a fast double click or a double Enter does.
  await dialog.locator("form").evaluate((form) => {
    if (!("requestSubmit" in form) || typeof form.requestSubmit !== "function") throw new Error("not a form");
    form.requestSubmit();
    form.requestSubmit();
  });
  await expect(dialog).toBeHidden();
  await expect.poll(() => answers.length).toBe(2);

  expect(answers).toEqual([200, 200]);
  const keys = await Promise.all(sent.map((r) => r.headerValue("idempotency-key")));
  expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
  expect(keys[1]).toBe(keys[0]);
  await expect(page.locator(".timeline")).toContainText(note);
  expect(await progressNotes(target.department, target.id, note)).toBe(1);
  await expect(page.getByTestId("page-error")).toHaveCount(0);
});

test("pressing again after the answer was lost gets the first answer, not a conflict", async ({ page }) => {
  const target = await progressTarget();
  await signIn(page, liaisonOf(target.department));
  const note = `Progress whose answer was lost ${Date.now()}`;
  const dialog = await openReportProgress(page, target.id, note);

  // The request reaches the server and commits; its answer never reaches the browser.
  const keys: Array<string | null> = [];
  let delivered = 0;
  await page.route("**/trpc/assignment.reportProgress*", async (route) => {
    keys.push(await route.request().headerValue("idempotency-key"));
    const response = await route.fetch();
    if (keys.length === 1) {
      expect(response.status()).toBe(200);
      await route.abort("connectionreset");
    } else {
      delivered = response.status();
      await route.fulfill({ response });
    }
  });
  await dialog.getByRole("button", { name: "Report progress" }).click();
  await expect(dialog.getByRole("alert")).toBeVisible();
  expect(await progressNotes(target.department, target.id, note)).toBe(1);

  // The person presses again: the same intent, the same key, the first answer.
  await dialog.getByRole("button", { name: "Report progress" }).click();
  await expect(dialog).toBeHidden();
  expect(delivered).toBe(200);
  expect(keys).toHaveLength(2);
  expect(keys[1]).toBe(keys[0]);
  await expect(page.locator(".timeline")).toContainText(note);
  expect(await progressNotes(target.department, target.id, note)).toBe(1);
  await expect(page.getByTestId("page-error")).toHaveCount(0);

  // A new intent with the same words is a new key (and a new event).
  await page.unroute("**/trpc/assignment.reportProgress*");
  const again = await openReportProgress(page, target.id, note);
  const next = page.waitForRequest(isReportProgress);
  await again.getByRole("button", { name: "Report progress" }).click();
  expect(await (await next).headerValue("idempotency-key")).not.toBe(keys[0]);
  await expect(again).toBeHidden();
  expect(await progressNotes(target.department, target.id, note)).toBe(2);
});
