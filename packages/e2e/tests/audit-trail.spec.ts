// The tracking page says whether the audit trail's hash chain verifies, in both languages, and names the first
// broken event when the database file was edited behind the server's back (then put back, for the specs after).
import Database from "better-sqlite3";
import { expect, test } from "@playwright/test";
import { Api, seriousViolations, signIn } from "./support.js";

interface Verification {
  ok: boolean;
  events: number;
  firstBroken: { seq: number; message: string } | null;
}

const databasePath = process.env.E2E_DATABASE_PATH ?? "";

test("the tracking page shows the audit trail verified, and the first broken event after tampering", async ({ page }) => {
  expect(databasePath, "the config names the e2e database").not.toBe("");
  const api = await Api.signIn("miit");
  await signIn(page, "miit");
  await page.goto("/tracking");
  const status = page.getByTestId("audit-status");
  await expect(status).toHaveAttribute("data-state", "verified");
  await expect(status).toHaveAttribute("role", "status");
  // Nothing was written since the page checked: the server's count is the page's.
  const verified = await api.query<Verification>("audit.verify");
  expect(verified.ok).toBe(true);
  await expect(status).toContainText(`Audit trail verified: ${verified.events.toLocaleString("en-GB")} events`);
  expect(await seriousViolations(page)).toEqual([]);

  await page.getByRole("button", { name: "中文" }).click();
  await expect(status).toContainText(`操作记录校验通过：共 ${verified.events.toLocaleString("zh-CN")} 条`);
  await expect(status.getByRole("button", { name: "重新校验" })).toBeVisible();

  // Someone with the file edits a sign-off's words in the middle of the trail.
  const seq = Math.floor(verified.events / 2);
  const db = new Database(databasePath);
  try {
    const row = db.prepare("select id, payload from audit_events where seq = ?").get(seq) as { id: number; payload: string } | undefined;
    expect(row, `event ${seq} exists`).toBeDefined();
    if (!row) return;
    db.prepare("update audit_events set payload = ? where id = ?").run(JSON.stringify({ note: "伪造 forged" }), row.id);
    try {
      await status.getByRole("button", { name: "重新校验" }).click();
      await expect(status).toHaveAttribute("data-state", "broken");
      await expect(status).toHaveAttribute("role", "alert");
      await expect(status).toContainText("操作记录校验未通过");
      await expect(page.getByTestId("audit-first-broken")).toHaveAttribute("data-seq", String(seq));
      await expect(page.getByTestId("audit-first-broken")).toContainText(`第 ${seq.toLocaleString("zh-CN")} 条记录已被改动`);
      await expect(status).toContainText(`此前的 ${(seq - 1).toLocaleString("zh-CN")} 条记录校验通过。`);

      // In English, the server's own words, which name the event's id too.
      await page.getByRole("button", { name: "English" }).click();
      const broken = await api.query<Verification>("audit.verify");
      expect(broken.firstBroken?.seq).toBe(seq);
      await expect(page.getByTestId("audit-first-broken")).toHaveText(`First broken event: ${broken.firstBroken?.message ?? "?"}`);
      await expect(page.getByTestId("audit-first-broken")).toContainText(`Event ${seq} (id ${row.id}) was altered`);
    } finally {
      db.prepare("update audit_events set payload = ? where id = ?").run(row.payload, row.id);
    }
  } finally {
    db.close();
  }

  // Put back exactly, the chain verifies again.
  await status.getByRole("button", { name: "Check again" }).click();
  await expect(status).toHaveAttribute("data-state", "verified");
  expect((await api.query<Verification>("audit.verify")).ok).toBe(true);
  await api.dispose();
});

test("an observer sees the audit trail's status; a liaison's tracking page does not ask for it", async ({ page }) => {
  await signIn(page, "observer");
  await page.goto("/tracking");
  await expect(page.getByTestId("audit-status")).toContainText(/Audit trail verified: [\d,]+ events/);

  await page.getByRole("button", { name: "Sign out" }).click();
  await signIn(page, "mof");
  const asked: string[] = [];
  page.on("request", (request) => {
    if (request.url().includes("audit.verify")) asked.push(request.url());
  });
  await page.goto("/tracking");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign-off tracking");
  await expect(page.getByTestId("signoff-grid")).toBeVisible();
  await expect(page.getByTestId("audit-status")).toHaveCount(0);
  expect(asked).toEqual([]);
});
