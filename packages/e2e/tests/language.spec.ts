// Chinese and English, switchable, remembered, with names, dates and numbers in the chosen language.
import { expect, test } from "@playwright/test";
import { keepScreenshot, signIn } from "./support.js";

test("the language switch changes every string, the page language, and is remembered", async ({ page }) => {
  await page.goto("/sign-in");
  await expect(page.locator("html")).toHaveAttribute("lang", "en-GB");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign in");

  await page.getByRole("button", { name: "中文" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("登录");
  await expect(page.getByLabel("用户名")).toBeVisible();
  await expect(page).toHaveTitle(/分工督办/);
  await keepScreenshot(page, "sign-in-zh");

  // Remembered across a reload.
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("登录");

  await signIn(page, "mof");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("财政部 待办事项");
  await expect(page.getByRole("button", { name: /^全部/ })).toBeVisible();
  await page.getByRole("button", { name: /^全部/ }).click();
  // Dates in Chinese (e.g. 2026年12月1日) or 持续推进 for ongoing work; roles and states in Chinese.
  await expect(page.locator("tbody tr").first()).toContainText(/\d{4}年\d{1,2}月\d{1,2}日|持续推进/);
  await expect(page.locator("tbody")).toContainText(/牵头单位|参与单位/);
  await keepScreenshot(page, "inbox-zh");

  await page.locator("tbody tr").first().getByRole("link").first().click();
  await expect(page.getByRole("heading", { name: "办理记录" })).toBeVisible();
  await keepScreenshot(page, "assignment-zh");

  await page.getByRole("button", { name: "English" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en-GB");
  await expect(page.getByRole("heading", { name: "History" })).toBeVisible();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Inbox" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Inbox of Ministry of Finance");
});
