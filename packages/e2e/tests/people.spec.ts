// Issue 15: an administrator creates a liaison's account and gives them a one-time code; the owner sets their
// password with it and signs in; an administrator resets a forgotten password; everyone changes their own password.
import { expect, test } from "@playwright/test";
import type { Page } from "@playwright/test";
import { startOidcProvider } from "./oidc-provider.js";
import type { LocalOidcProvider } from "./oidc-provider.js";
import { useOwnServer } from "./own-server.js";
import { demoPassword, keepScreenshot, seriousViolations, signIn } from "./support.js";

const server = useOwnServer({ demo: true });

// A second server of this file's own, signing in only through a real OpenID Connect provider on 127.0.0.1.
let provider: LocalOidcProvider | null = null;
const ssoServer = useOwnServer({
  demo: true,
  env: async (origin) => {
    provider = await startOidcProvider({ clientId: "countersign", clientSecret: "e2e-client-secret", redirectUri: `${origin}/auth/oidc/callback` });
    return {
      PASSWORD_SIGN_IN: "off",
      OIDC_ISSUER: provider.issuer,
      OIDC_CLIENT_ID: "countersign",
      OIDC_CLIENT_SECRET: "e2e-client-secret",
      PUBLIC_URL: origin,
    };
  },
});
test.afterAll(async () => {
  await provider?.close();
});

/** The reset link the administration page shows once, read from its dialog and closed. */
async function readResetLink(page: Page): Promise<string> {
  const dialog = page.getByRole("dialog", { name: /One-time reset code for/ });
  await expect(dialog.getByText("Shown only now")).toBeVisible();
  const link = (await dialog.getByTestId("reset-link").textContent()) ?? "";
  expect(link).toMatch(/\/reset-password#code=[A-Za-z0-9_-]{43}$/);
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(dialog).toBeHidden();
  return link;
}

async function setPasswordWithLink(page: Page, link: string, password: string): Promise<void> {
  await page.goto(link);
  await expect(page.getByRole("heading", { name: "Set a password with a reset code" })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByLabel("New password", { exact: true }).fill("password12345678");
  await page.getByLabel("New password again").fill("password12345678");
  await page.getByRole("button", { name: "Set the password" }).click();
  await expect(page.getByTestId("reset-error")).toContainText("common or breached");
  await page.getByLabel("New password", { exact: true }).fill(password);
  await page.getByLabel("New password again").fill(password);
  await page.getByRole("button", { name: "Set the password" }).click();
  await expect(page.getByText("Your password is set.")).toBeVisible();
}

test("an administrator creates a liaison account; the owner sets a password with the one-time link and signs in", async ({ page, browser }) => {
  await signIn(page, "admin", { origin: server.origin });
  await page.getByRole("link", { name: "Administration", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Administration: accounts" })).toBeVisible();
  // A province's department (another organisation's register) by its name, not its code.
  const local = page.getByTestId("accounts").locator('tr[data-username="gx-sta"]').locator("td").nth(2);
  await expect(local).not.toHaveText("");
  await expect(local).not.toContainText("450000-");
  await page.getByRole("button", { name: "New account" }).click();
  const form = page.getByRole("dialog", { name: "New account" });
  await form.getByLabel("Username").fill("zhang.wei");
  await form.getByLabel("Name in Chinese").fill("张伟 (MOF)");
  await form.getByLabel("Name in English").fill("Zhang Wei");
  await form.getByLabel("Department").selectOption("MOF");
  await form.getByRole("button", { name: "Create the account" }).click();
  // A name mixing languages is refused, explained.
  await expect(form.getByTestId("account-error")).toContainText("Chinese display name has Latin letters");
  await form.getByLabel("Name in Chinese").fill("张伟");
  await form.getByRole("button", { name: "Create the account" }).click();
  const link = await readResetLink(page);
  const row = page.getByTestId("accounts").locator('tr[data-username="zhang.wei"]');
  await expect(row).toContainText("Zhang Wei");
  await expect(row).toContainText("reset code issued");
  await keepScreenshot(page, "administration");
  expect(await seriousViolations(page)).toEqual([]);
  // In Chinese the table names each person in Chinese.
  await page.getByRole("button", { name: /中文/ }).click();
  await expect(page.getByRole("heading", { name: "系统管理：账号" })).toBeVisible();
  await expect(row).toContainText("张伟");
  await keepScreenshot(page, "administration-zh");
  await page.getByRole("button", { name: "English" }).click();

  // The owner, in another browser, opens the link and sets a password; then signs in with it.
  const owner = await (await browser.newContext()).newPage();
  await setPasswordWithLink(owner, link, "plum rain over the river");
  // The link works once (a fresh load: a change of the fragment alone would not reload the page).
  await owner.goto("about:blank");
  await owner.goto(link);
  await owner.getByLabel("New password", { exact: true }).fill("a different long passphrase");
  await owner.getByLabel("New password again").fill("a different long passphrase");
  await owner.getByRole("button", { name: "Set the password" }).click();
  await expect(owner.getByTestId("reset-error")).toContainText("not valid");
  await signIn(owner, "zhang.wei", { origin: server.origin, password: "plum rain over the river" });
  await expect(owner.locator(".user-name")).toContainText("Zhang Wei");
  await expect(owner).toHaveURL(/\/inbox/);

  // In Chinese the header shows the Chinese name.
  await owner.getByRole("button", { name: /中文/ }).click();
  await expect(owner.locator(".user-name")).toContainText("张伟");
  await owner.context().close();

  // A forgotten password: the administrator resets it; the old one works until the new code is used.
  await page.reload();
  await page.getByRole("button", { name: "Reset password zhang.wei" }).click();
  await page.getByRole("dialog", { name: /Reset password: zhang.wei/ }).getByRole("button", { name: "Reset password" }).click();
  const second = await readResetLink(page);
  const again = await (await browser.newContext()).newPage();
  await setPasswordWithLink(again, second, "autumn moon above the lake");
  await signIn(again, "zhang.wei", { origin: server.origin, password: "autumn moon above the lake" });
  await again.context().close();
});

test("everyone changes their own password: the current one is required, other sessions end", async ({ page, browser }) => {
  // A second session of the same account, on another computer.
  const elsewhere = await (await browser.newContext()).newPage();
  await signIn(elsewhere, "ndrc", { origin: server.origin });
  await signIn(page, "ndrc", { origin: server.origin });
  await page.getByRole("link", { name: "My account" }).click();
  await expect(page.getByRole("heading", { name: "My account" })).toBeVisible();
  await expect(page.getByTestId("sessions").locator("tbody tr")).toHaveCount(2);
  const form = page.getByTestId("change-password");
  await form.getByLabel("Current password").fill("not my password");
  await form.getByLabel("New password", { exact: true }).fill("green tea in the morning");
  await form.getByLabel("New password again").fill("green tea in the morning");
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByTestId("change-password-error")).toContainText("current password is not right");
  await form.getByLabel("Current password").fill(demoPassword);
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByText("Your password is changed; 1 other sessions were ended.")).toBeVisible();
  await expect(page.getByTestId("sessions").locator("tbody tr")).toHaveCount(1);
  await keepScreenshot(page, "account");
  expect(await seriousViolations(page)).toEqual([]);

  // The other computer is signed out; the new password signs in.
  await elsewhere.reload();
  await expect(elsewhere).toHaveURL(/\/sign-in/);
  await signIn(elsewhere, "ndrc", { origin: server.origin, password: "green tea in the morning" });
  await elsewhere.context().close();
});

test("histories name the person in the page's language, not the user name", async ({ page }) => {
  await signIn(page, "observer", { origin: server.origin });
  await page.goto(`${server.origin}/assignments/1`);
  const history = page.locator("section", { has: page.getByRole("heading", { name: "History" }) });
  await expect(history).toContainText("MIIT coordinator");
  await expect(history).not.toContainText("miit (");
  await page.getByRole("button", { name: /中文/ }).click();
  await expect(page.locator("section", { has: page.getByRole("heading", { name: "办理记录" }) })).toContainText("领导小组办公室");
});

test("signs in through the identity provider; an unknown person is refused, clearly", async ({ page }) => {
  // The provider's development form asks for a web font: nothing leaves this machine.
  await page.context().route((url) => url.hostname !== "127.0.0.1", (route) => route.abort());
  await page.goto(`${ssoServer.origin}/sign-in`);
  await expect(page.getByText("This site signs in through the unified identity service only.")).toBeVisible();
  await expect(page.getByLabel("Password")).toBeHidden();
  await page.getByRole("link", { name: "Sign in with the unified identity service" }).click();
  // At the provider: its own sign-in form.
  await expect(page).toHaveURL(/\/interaction\//);
  await page.locator('input[name="login"]').fill("mof");
  await page.locator('input[name="password"]').fill("anything");
  await page.locator('button[type="submit"]').click();
  // Back in Countersign, signed in as the MOF liaison.
  await expect(page).toHaveURL(new RegExp(`^${ssoServer.origin}/inbox`));
  await expect(page.locator(".user-name")).toContainText("MOF liaison");
  await keepScreenshot(page, "sso-signed-in");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);

  // Signing out here leaves the provider's own session; a different person at the provider (its cookies gone).
  await page.context().clearCookies();
  await page.getByRole("link", { name: "Sign in with the unified identity service" }).click();
  await expect(page).toHaveURL(/\/interaction\//);
  await page.locator('input[name="login"]').fill("stranger");
  await page.locator('input[name="password"]').fill("anything");
  await page.locator('button[type="submit"]').click();
  await expect(page).toHaveURL(/\/sign-in\?sso=unknown_account/);
  await expect(page.getByTestId("sso-refused")).toContainText("no account here matches you");
});
