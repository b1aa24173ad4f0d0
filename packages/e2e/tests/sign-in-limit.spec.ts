// After failed sign-ins the server delays the next attempt on that name (progressive delays, not a 15-minute lock)
// and answers 429 (too_many_attempts) with the wait: the sign-in page says so, and for how long, in the reader's
// language, instead of repeating "wrong password". The owner, signing in afterwards, is told how many attempts failed.
// On a server of its own, so that these failures count against nobody else's address or account.
import { expect, test } from "@playwright/test";
import type { Page } from "@playwright/test";
import { useOwnServer } from "./own-server.js";

const password = "sign-in-limit-owner-password";
const server = useOwnServer({ demo: false, accounts: [{ username: "owner-e2e", role: "liaison", department: "MOF", password }] });

async function attempt(page: Page, username: string, pass: string): Promise<number> {
  const answered = page.waitForResponse((r) => r.url().includes("/trpc/auth.login"));
  await page.getByLabel(/^(Username|用户名)/).fill(username);
  await page.getByLabel(/^(Password|密码)/).fill(pass);
  await page.getByRole("button", { name: /^(Sign in|登录)$/ }).click();
  return (await answered).status();
}

test("a delayed sign-in is explained, with the wait, in English and in Chinese", async ({ page }) => {
  await page.goto(`${server.origin}/sign-in`);
  // The form's own alert (the page also has the announcer's live region).
  const alert = page.locator("form").getByRole("alert");
  for (let i = 1; i <= 5; i += 1) {
    expect(await attempt(page, "nobody-e2e", "not-the-password")).toBe(401);
    await expect(alert).toHaveText("The username or password is not correct.");
  }
  // Past the 5 free failures the next attempts wait 1 s, 2 s, 4 s, … after the latest failure: typing takes a moment
  // on a busy machine, so try until the delay shows (it must within a few attempts).
  let status = 0;
  for (let i = 0; i < 4 && status !== 429; i += 1) status = await attempt(page, "nobody-e2e", "not-the-password");
  expect(status).toBe(429);
  await expect(alert).toHaveText(
    /^Too many failed sign-in attempts for this account or from this computer\. Try again in (1 second|\d+ seconds)\.$/,
  );
  await expect(page.getByLabel("Username")).toHaveAttribute("aria-invalid", "true");

  // The explanation follows the language switch.
  await page.getByRole("button", { name: "中文" }).click();
  await expect(alert).toHaveText(/^该账号或本机登录失败次数过多，请 \d+ 秒后再试。$/);
});

test("the owner is told of the failed attempts on the next sign-in, in both languages, then goes on", async ({ page }) => {
  await page.goto(`${server.origin}/sign-in`);
  for (let i = 0; i < 2; i += 1) expect(await attempt(page, "owner-e2e", "a-wrong-guess")).toBe(401);
  expect(await attempt(page, "owner-e2e", password)).toBe(200);
  const notice = page.getByRole("alert").filter({ hasText: /failed sign-in attempts/ });
  await expect(notice).toContainText("There were 2 failed sign-in attempts on your account since your last sign-in.");
  await expect(page.getByRole("button", { name: "Continue" })).toBeFocused();
  await page.getByRole("button", { name: "中文" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "自您上次登录以来，您的账号有 2 次登录失败。" })).toBeVisible();
  await page.getByRole("button", { name: "继续" }).click();
  await expect(page).toHaveURL(/\/inbox/);
});
