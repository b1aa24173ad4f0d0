// Evidence files (佐证材料) on an assignment's acts, issue 14: a liaison reports progress with a PDF through the
// action dialog (several files may be chosen or dropped; progress is shown while sending); the assignment's history
// shows the act's file with download and preview; the coordinator downloads it too.
import { expect, test } from "@playwright/test";
import { Api, liaisonOf, overview, seriousViolations, signIn } from "./support.js";

const pdf = Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");

test("a progress report with a PDF attached: the history shows the file, previewed and downloaded", async ({ page, browser }) => {
  const api = await Api.signIn("miit");
  const data = await overview(api);
  await api.dispose();
  const target = data.measures
    .filter((m) => !m.closed)
    .flatMap((m) => m.assignments)
    .find((a) => (a.status === "in_progress" || a.status === "accepted") && !a.extensionPending);
  if (target === undefined) throw new Error("no assignment in progress in the demo data");

  await signIn(page, liaisonOf(target.department));
  await page.goto(`/assignments/${target.id}`);
  await page.getByRole("button", { name: "Report progress" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("textbox").first().fill("Rules drafted; the notice is attached.");
  await dialog.getByLabel("Choose files").setInputFiles([
    { name: "实施细则.pdf", mimeType: "application/pdf", buffer: pdf },
    { name: "draft.pdf", mimeType: "application/pdf", buffer: pdf },
  ]);
  await expect(dialog.getByTestId("chosen-files").getByRole("listitem")).toHaveCount(2);
  // One of the two was a mistake: removed before sending.
  await dialog.getByRole("button", { name: "Remove draft.pdf" }).click();
  await expect(dialog.getByTestId("chosen-files").getByRole("listitem")).toHaveCount(1);
  expect(await seriousViolations(page)).toEqual([]);
  await dialog.getByRole("button", { name: "Report progress" }).click();
  await expect(dialog).toHaveCount(0);

  const event = page.locator('li[data-event="assignment.progress_reported"]').last();
  await expect(event.getByRole("link", { name: "实施细则.pdf", exact: true })).toBeVisible();
  const previewHref = await event.getByRole("link", { name: "Preview 实施细则.pdf" }).getAttribute("href");
  const preview = await page.request.get(previewHref ?? "");
  expect(preview.status()).toBe(200);
  expect(preview.headers()["content-type"]).toBe("application/pdf");
  const downloadHref = await event.getByRole("link", { name: "实施细则.pdf", exact: true }).getAttribute("href");

  // The coordinator downloads the same bytes.
  const context = await browser.newContext();
  const coordinator = await context.newPage();
  await signIn(coordinator, "miit");
  const download = await coordinator.request.get(downloadHref ?? "");
  expect(download.status()).toBe(200);
  expect(Buffer.from(await download.body()).equals(pdf)).toBe(true);
  await context.close();
});
