import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromiumLaunchOptions } from "@countersign/exports/chromium";
import { defineConfig } from "@playwright/test";

// The config is evaluated by the runner and again by each worker: the first evaluation picks a free port and
// a fresh database and leaves them in the environment, which the workers inherit.
function freePort(): string {
  const script = "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})";
  return execFileSync(process.execPath, ["-e", script], { encoding: "utf8" }).trim();
}
process.env.E2E_PORT ??= freePort();
process.env.E2E_DATABASE_PATH ??= join(mkdtempSync(join(tmpdir(), "countersign-e2e-")), "countersign.sqlite");
const port = process.env.E2E_PORT;
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: "./tests",
  // The specs share one seeded database and tell one story; one worker also suits a 2-core machine.
  workers: 1,
  fullyParallel: false,
  timeout: 45_000,
  expect: { timeout: 10_000 },
  retries: 0,
  outputDir: "test-results/artifacts",
  reporter: [["list"], ["json", { outputFile: "test-results/e2e.json" }]],
  use: {
    baseURL,
    locale: "en-GB",
    timezoneId: "Asia/Shanghai",
    viewport: { width: 1440, height: 900 },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    // The same Chromium, launched the same way, as the server's PDF exports.
    launchOptions: chromiumLaunchOptions,
  },
  webServer: {
    command: "node ../../apps/server/dist/main.js --demo",
    url: `${baseURL}/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      PORT: port,
      HOST: "127.0.0.1",
      DATABASE_PATH: process.env.E2E_DATABASE_PATH,
      NODE_ENV: "production",
    },
  },
});
