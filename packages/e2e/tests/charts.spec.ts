// The tracking page's charts (issue 14 point 4): drawn as SVG by the lazily loaded ECharts, each an image with an
// accessible name, its figures in a table for screen readers, in both languages, and no serious axe violation.
import { expect, test } from "@playwright/test";
import { keepScreenshot, seriousViolations, signIn } from "./support.js";

test("the tracking page's charts have names, figures as tables, and pass axe, in English and Chinese", async ({ page }) => {
  await signIn(page, "miit");
  await expect(page).toHaveURL(/\/tracking/);
  const charts = page.getByTestId("tracking-charts");

  const onTime = charts.getByRole("figure", { name: "On-time rate by department" });
  await expect(onTime.getByRole("img", { name: /^On-time rate by department\. Bar chart/ }).locator("svg")).toBeVisible();
  // The demo plan's 17 departments, each with its rate (or "nothing due yet") in the table.
  const onTimeTable = onTime.getByRole("table", { name: /On-time rate by department/ });
  await expect(onTimeTable.locator("tbody tr")).toHaveCount(17);
  await expect(onTimeTable.locator("tbody tr").first().locator("td").last()).toHaveText(/^\d+%$|^nothing due yet$/);

  const trend = charts.getByRole("figure", { name: "Open and signed-off assignments by week" });
  await expect(trend.getByRole("img", { name: /^Open and signed-off assignments by week\. Line chart/ }).locator("svg")).toBeVisible();
  // The SVG names both series in its legend; the table gives one row per week.
  await expect(trend.locator("svg text", { hasText: "Signed off" })).toHaveCount(1);
  expect(await trend.getByRole("table").locator("tbody tr").count()).toBeGreaterThan(0);

  // The demo data is in flight: some work is due soon or overdue. Each level is named in the legend (text, not colour).
  const lateness = charts.getByRole("figure", { name: "Lateness by department" });
  await expect(lateness.getByRole("img", { name: /^Lateness by department\. Stacked bar chart/ }).locator("svg")).toBeVisible();
  for (const level of ["Due soon", "Overdue", "Long overdue"]) {
    await expect(lateness.locator("svg text", { hasText: new RegExp(`${level}$`) })).toHaveCount(1);
    await expect(lateness.getByRole("columnheader", { name: level, exact: true })).toBeAttached();
  }
  expect(await seriousViolations(page)).toEqual([]);
  await keepScreenshot(page, "tracking-charts");

  await page.getByRole("button", { name: "中文" }).click();
  await expect(charts.getByRole("figure", { name: "各单位按时报结率" }).getByRole("img", { name: /^各单位按时报结率。柱状图/ })).toBeVisible();
  const trendZh = charts.getByRole("figure", { name: "每周未报结与已报结的交办任务" });
  await expect(trendZh.locator("svg text", { hasText: "已报结" })).toHaveCount(1);
  await expect(charts.getByRole("figure", { name: "各单位逾期情况" }).getByRole("table").locator("thead th")).toHaveText(["单位", "即将到期", "已逾期", "严重逾期"]);
  expect(await seriousViolations(page)).toEqual([]);
});
