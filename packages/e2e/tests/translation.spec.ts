// Issue 12: the 2020 plan exists only in its English translation. The Chinese interface says so (英文译本), and the
// coordinator adds the Chinese text, which is matched with the plan's measures by number and then shown first.
import { expect, test } from "@playwright/test";
import { useOwnServer } from "./own-server.js";
import { signIn } from "./support.js";

const server = useOwnServer({ demo: true });

const chinese = [
  "关于健全支持中小企业发展制度的若干意见",
  "一、完善支持中小企业发展的基础性制度",
  "（一）健全中小企业法律法规体系。以《中华人民共和国中小企业促进法》为基础，加快构建具有中国特色、支持中小企业发展的法律法规体系。",
  "（二）坚持公平竞争制度。全面实施市场准入负面清单制度。",
].join("\n");

test("the coordinator adds the plan's Chinese text; the measure page then shows it first, the English translation after", async ({ page }) => {
  const origin = server.origin;
  await signIn(page, "miit", { origin });
  await page.evaluate(() => localStorage.setItem("countersign.language", "zh"));
  await page.goto(`${origin}/measures/1`);
  await expect(page.getByRole("heading", { name: "英文译本" })).toBeVisible();
  await expect(page.getByText("本分工方案尚无中文文本，以下为英文译本。")).toBeVisible();

  await page.getByText("添加本分工方案的中文文本").click();
  await page.getByLabel("文件全文").fill(chinese);
  await page.getByRole("button", { name: "添加文本" }).click();
  await expect(page.getByRole("status").filter({ hasText: "已为 2 项措施添加中文文本" }).first()).toBeVisible();

  const headings = page.locator(".measure-text-block h2");
  await expect(headings).toHaveText(["中文文本", "英文译本"]);
  await expect(page.locator('.measure-text-block[data-text-language="zh"] blockquote')).toContainText("健全中小企业法律法规体系");
  await expect(page.getByText("本分工方案尚无中文文本")).toHaveCount(0);

  // In English the English text comes first, the Chinese after; a measure the text lacks still says so.
  await page.evaluate(() => localStorage.setItem("countersign.language", "en"));
  await page.reload();
  await expect(page.locator(".measure-text-block h2")).toHaveText(["Text in English", "Text in Chinese"]);
  await page.goto(`${origin}/measures/3`);
  await expect(page.locator(".measure-text-block h2")).toHaveText(["Text in English"]);
});
