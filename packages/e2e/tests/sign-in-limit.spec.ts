// After too many failed sign-ins the server answers 429 (too_many_attempts): the sign-in page says so, and for how
// long, in the reader's language, instead of repeating "wrong password". An account name nobody has is locked like
// any other (5 failures; the address's limit of 20 is far off for the other specs).
import { expect, test } from "@playwright/test";

test("a locked sign-in is explained, with the wait, in English and in Chinese", async ({ page }) => {
  await page.goto("/sign-in");
  // The form's own alert (the page also has the announcer's live region).
  const alert = page.locator("form").getByRole("alert");
  const attempt = async () => {
    await page.getByLabel(/^(Username|用户名)/).fill("locked-out-e2e");
    await page.getByLabel(/^(Password|密码)/).fill("not-the-password");
    await page.getByRole("button", { name: /^(Sign in|登录)$/ }).click();
  };
  for (let i = 1; i <= 5; i += 1) {
    const answered = page.waitForResponse((r) => r.url().includes("/trpc/auth.login"));
    await attempt();
    expect((await answered).status()).toBe(401);
    await expect(alert).toHaveText("The username or password is not correct.");
  }

  const locked = page.waitForResponse((r) => r.url().includes("/trpc/auth.login"));
  await attempt();
  expect((await locked).status()).toBe(429);
  await expect(alert).toHaveText(
    "Too many failed sign-in attempts for this account or from this computer. Try again in 15 minutes.",
  );
  await expect(page.getByLabel("Username")).toHaveAttribute("aria-invalid", "true");

  // The explanation follows the language switch, and a new attempt in Chinese is refused in Chinese.
  await page.getByRole("button", { name: "中文" }).click();
  await expect(alert).toHaveText("该账号或本机登录失败次数过多，请 15 分钟后再试。");
  await page.getByLabel("密码").fill("still-not-the-password");
  const again = page.waitForResponse((r) => r.url().includes("/trpc/auth.login"));
  await page.getByRole("button", { name: "登录" }).click();
  expect((await again).status()).toBe(429);
  await expect(alert).toHaveText(/^该账号或本机登录失败次数过多，请 1[45] 分钟后再试。$/);
});
