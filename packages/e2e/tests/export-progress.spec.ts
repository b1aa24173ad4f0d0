// A long export says it is working: the button is busy (aria-busy, aria-disabled), "Preparing…" / "正在生成…" is
// shown in a status region, a second press starts nothing, and the file arrives. The real server prepares the file;
// the test only holds its answer back until it has looked at the button, so that "while it works" is observable
// however fast the machine is.
import { expect, test } from "@playwright/test";
import type { Page, Route } from "@playwright/test";
import { signIn } from "./support.js";

/** Holds back the answers to `pattern` until `release` is called; counts the requests. */
async function holdBack(page: Page, pattern: RegExp): Promise<{ release: () => void; requests: () => number }> {
  let requests = 0;
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  await page.route(pattern, async (route: Route) => {
    requests += 1;
    await gate;
    await route.continue();
  });
  return { release: () => open(), requests: () => requests };
}

for (const [lang, label, preparing] of [
  ["en", "Matrix (PDF)", "Preparing…"],
  ["zh", "矩阵（PDF）", "正在生成…"],
] as const) {
  test(`the matrix PDF download shows it is working until the file arrives (${lang})`, async ({ page }) => {
    await signIn(page, "miit");
    await page.goto("/matrix");
    if (lang === "zh") await page.getByRole("button", { name: "中文" }).click();
    const button = page.getByRole("button", { name: label });
    const status = page.getByTestId("export-matrix-pdf").locator("xpath=following-sibling::*[@role='status']");
    await expect(status).toHaveText("");
    const held = await holdBack(page, /\/export\/matrix\.pdf\?/);

    const download = page.waitForEvent("download");
    await button.click();
    await expect(button).toHaveAttribute("aria-busy", "true");
    await expect(button).toHaveAttribute("aria-disabled", "true");
    await expect(status).toHaveText(preparing);
    // A second press while it works starts no second export (forced: Playwright itself treats aria-disabled as
    // not clickable, a mouse does not).
    await button.click({ force: true });
    expect(held.requests()).toBe(1);

    held.release();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.pdf$/);
    await expect(button).toHaveAttribute("aria-busy", "false");
    await expect(status).toHaveText("");
    expect(held.requests()).toBe(1);
  });
}
