// The liaison's inbox: filters with counts, search over the measure text, sorting by deadline, lateness in words.
import { expect, test } from "@playwright/test";
import { signIn } from "./support.js";

function countOf(label: string | null): number {
  return Number(/(\d+)\s*$/.exec(label ?? "")?.[1] ?? Number.NaN);
}

test("filters show their counts, search narrows the list, and the deadline column sorts", async ({ page }) => {
  await signIn(page, "ndrc");
  const filters = ["To acknowledge", "In progress", "Declined", "Signed off", "All"];
  const counts: number[] = [];
  for (const name of filters) {
    const button = page.getByRole("button", { name: new RegExp(`^${name}`) });
    await button.click();
    await expect(button).toHaveAttribute("aria-pressed", "true");
    const count = countOf(await button.textContent());
    await expect(page.locator("tbody tr")).toHaveCount(count);
    counts.push(count);
  }
  const all = counts.at(-1) ?? 0;
  expect(all).toBeGreaterThan(0);
  expect(counts.slice(0, 4).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(all);

  // Lateness is written out, not only coloured.
  const late = page.locator("tbody .lateness");
  if ((await late.count()) > 0) await expect(late.first()).toHaveText(/Due soon|Overdue|Long overdue/);

  // Deadlines ascend, then descend after a click on the column header.
  const header = page.getByRole("columnheader", { name: /Deadline/ });
  await expect(header).toHaveAttribute("aria-sort", "ascending");
  const firstBefore = await page.locator("tbody tr").first().getAttribute("data-assignment-id");
  await header.getByRole("button").click();
  await expect(header).toHaveAttribute("aria-sort", "descending");
  if (all > 1) await expect(page.locator("tbody tr").first()).not.toHaveAttribute("data-assignment-id", firstBefore ?? "");

  // Search over the measure text (the server searches title and full text).
  await page.getByLabel("Search measure text").fill("credit");
  // The previous rows stay on screen while the search runs: wait for the narrower list.
  await expect.poll(() => page.locator("tbody tr").count()).toBeLessThan(all);
  await expect(page.locator("tbody tr").first()).toBeVisible();
  for (const text of await page.locator("tbody tr").allTextContents()) expect(text.toLowerCase()).toContain("credit");
  await page.getByLabel("Search measure text").fill("zzzz-no-such-words");
  await expect(page.getByText("Nothing here.")).toBeVisible();
});
