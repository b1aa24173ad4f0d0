// The browser revalidates the inbox (issue 17, reads): the server tags inbox.list with an ETag (private, no-cache), the
// browser keeps the answer, asks again with If-None-Match, gets 304 without a body while nothing changed, and shows
// the kept answer (the HTTP tests in apps/server/src/http-cache show a change gives a new tag and page).
import { expect, test } from "@playwright/test";
import type { Page } from "@playwright/test";
import { signIn } from "./support.js";

interface Seen {
  url: string;
  status: number;
  ifNoneMatch: string | undefined;
  etag: string | undefined;
}

/** The inbox.list requests the page makes from now on, with the validator sent and the status and tag answered. */
function recordInboxLists(page: Page): Seen[] {
  const seen: Seen[] = [];
  page.on("response", async (response) => {
    const path = new URL(response.url()).pathname;
    if (!path.startsWith("/trpc/") || !path.split(",").some((p) => p.endsWith("inbox.list"))) return;
    const sent = await response.request().allHeaders();
    const answered = await response.allHeaders();
    seen.push({ url: response.url(), status: response.status(), ifNoneMatch: sent["if-none-match"], etag: answered["etag"] });
  });
  return seen;
}

/** The status lines as they came over the wire (Chromium shows a revalidated answer to the page as its kept 200). */
async function recordWireStatuses(page: Page): Promise<Map<string, number>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  const statuses = new Map<string, number>();
  cdp.on("Network.responseReceivedExtraInfo", (event) => statuses.set(event.requestId, event.statusCode));
  const urls = new Map<string, string>();
  cdp.on("Network.requestWillBeSent", (event) => urls.set(event.requestId, event.request.url));
  const byUrl = new Map<string, number>();
  cdp.on("Network.loadingFinished", (event) => {
    const url = urls.get(event.requestId);
    const status = statuses.get(event.requestId);
    if (url !== undefined && status !== undefined) byUrl.set(url, status);
  });
  return byUrl;
}

test("the inbox is revalidated with If-None-Match and answered 304 while nothing changed", async ({ page }) => {
  await signIn(page, "mof");
  await page.goto("/");
  await expect(page.locator("tbody tr").first()).toBeVisible();
  const wire = await recordWireStatuses(page);
  const seen = recordInboxLists(page);
  await page.reload();
  await expect(page.locator("tbody tr").first()).toBeVisible();
  await expect.poll(() => seen.length).toBeGreaterThan(0);
  const again = seen[0];
  if (again === undefined) return;
  // The browser sent the tag it was given, and the server's answer names the same tag.
  expect(again.ifNoneMatch, JSON.stringify(seen)).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
  expect(again.etag).toBe(again.ifNoneMatch);
  // Over the wire it was a 304 (no body); the page got the kept page.
  await expect.poll(() => wire.get(again.url)).toBe(304);
  expect(again.status).toBe(200);
});
