// The inbox and the tracking queues read what they show from one list each (inbox.list rows carry the measure's
// excerpt and cut flag; tracking.overview cells carry decline reasons and pending extensions): the browser fetches
// neither the plan's catalog for the inbox nor each assignment for the queues.
import { expect, test } from "@playwright/test";
import type { Page } from "@playwright/test";
import { Api, currentPlanId, signIn } from "./support.js";

/** The tRPC procedures the page asks for from now on (a batched request names several, comma-separated). */
function recordProcedures(page: Page): string[] {
  const procedures: string[] = [];
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith("/trpc/")) procedures.push(...decodeURIComponent(path.slice("/trpc/".length)).split(","));
  });
  return procedures;
}

interface Cell {
  id: number;
  status: string;
  declineReason: string | null;
  extensionPending: boolean;
  pendingExtension: { until: string; reason: string; requestedAt: string | null } | null;
}

test("the tracking queues show decline reasons and extension requests without fetching each assignment", async ({ page }) => {
  const api = await Api.signIn("miit");
  const overview = await api.query<{ measures: Array<{ assignments: Cell[] }> }>("tracking.overview", { planId: await currentPlanId(api) });
  await api.dispose();
  const cells = overview.measures.flatMap((m) => m.assignments);
  const declined = cells.find((c) => c.status === "declined" && c.declineReason !== null);
  const extension = cells.find((c) => c.pendingExtension !== null);
  expect(declined, "the demo has a declined assignment with its reason").toBeDefined();
  expect(extension, "the demo has a pending extension request").toBeDefined();
  if (!declined || !extension?.pendingExtension) return;

  await signIn(page, "miit");
  const asked = recordProcedures(page);
  await page.goto("/tracking");
  const declinedItem = page.getByTestId("queue-declined").locator(`[data-assignment-id="${declined.id}"]`);
  await expect(declinedItem).toContainText(`Reason given: ${declined.declineReason ?? ""}`);
  const extensionItem = page.getByTestId("queue-extension").locator(`[data-assignment-id="${extension.id}"]`);
  await expect(extensionItem).toContainText(extension.pendingExtension.reason);
  await expect(extensionItem).toContainText("Requested deadline");
  await expect(extensionItem).toContainText(/Requested \d{4}-\d{2}-\d{2} \d{2}:\d{2} \(Beijing time\)/);
  await expect(page.getByTestId("queue-overdue").locator("tbody tr").first()).toBeVisible();

  expect(asked).toContain("tracking.overview");
  expect(asked.filter((p) => p === "assignment.get" || p === "inbox.list")).toEqual([]);
});

test("the inbox shows each measure's excerpt and cut flag without the plan's catalog", async ({ page }) => {
  await signIn(page, "miit");
  const asked = recordProcedures(page);
  // The coordinator reads every department's inbox; MIIT leads measures whose published text is cut.
  await page.goto("/inbox/MIIT?filter=all");
  const rows = page.locator("tbody tr");
  await expect(rows.first()).toBeVisible();
  await expect(rows.first().locator(".measure-excerpt")).not.toBeEmpty();
  const api = await Api.signIn("miit");
  const inbox = await api.query<{ rows: Array<{ id: number; textCut: boolean; measureExcerpt: string }> }>("inbox.list", {
    planId: await currentPlanId(api),
    department: "MIIT",
    limit: 200,
  });
  await api.dispose();
  const cut = inbox.rows.find((r) => r.textCut);
  expect(cut, "MIIT has a measure whose text is cut").toBeDefined();
  if (!cut) return;
  await expect(page.locator(`tr[data-assignment-id="${cut.id}"] .flag-cut`)).toBeVisible();
  await expect(page.locator(`tr[data-assignment-id="${cut.id}"] .measure-excerpt`)).toHaveText(cut.measureExcerpt);

  expect(asked).toContain("inbox.list");
  expect(asked.filter((p) => p === "catalog.plan")).toEqual([]);
});
