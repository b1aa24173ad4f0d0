/**
 * Starts the server: opens (and migrates) the database, loads the default plan on first start, seeds the demo when
 * asked (`--demo` or COUNTERSIGN_DEMO=1; never otherwise), says how to create the first administrator while there is
 * none, and listens on HOST:PORT (localhost:3000 by default).
 */
import { loadDefaultPlan, openDatabase } from "@countersign/db";
import { buildApp } from "./app.js";
import { readConfig } from "./config.js";
import { demoPassword } from "./demo/demo-accounts.js";
import { seedDemo } from "./demo/seed-demo.js";
import { LiveBus } from "./live.js";
import { firstAdministratorHint } from "./setup/first-administrator.js";
import { defaultBusyPolicy } from "./services/shared/database-busy.js";
import { startOutbound } from "./services/notifications/outbound-config.js";
import { startAttachmentStore } from "./services/attachments/s3-attachment-store.js";
import { limitHeapGrowth } from "./heap-policy.js";

async function main(): Promise<void> {
  // Before start-up allocates: the heap stays near what is live (heap-policy.ts).
  limitHeapGrowth();
  const config = readConfig();
  // A short SQLite busy timeout: better-sqlite3 blocks the whole process while it waits; requests wait asynchronously.
  const database = openDatabase(config.databasePath, { busyTimeoutMs: config.busyTimeoutMs });
  loadDefaultPlan(database.db);
  const demo = config.demo ? await seedDemo(database.db) : null;

  const app = await buildApp(
    {
      db: database.db,
      live: new LiveBus(),
      sessionPolicy: config.sessionPolicy,
      now: () => new Date(),
      secureCookies: config.secureCookies,
      signIn: config.signIn,
      busyPolicy: { ...defaultBusyPolicy, maxWaitMs: config.busyWaitMs },
    },
    config,
  );
  // Attachments in an S3-compatible object store when configured (ATTACHMENT_STORE=s3), with its orphan sweep.
  const attachmentStore = startAttachmentStore(database.db, process.env, () => new Date());
  app.addHook("onClose", async () => attachmentStore.stop());
  // Webhooks and email (off unless configured) and the reporting rounds' scheduler tick.
  const outbound = startOutbound(database.db, process.env, () => new Date());
  app.addHook("onClose", async () => outbound.stop());
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === "object" && address !== null ? address.port : config.port;
  const shownHost = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;

  const lines = [
    `Countersign is running at http://${shownHost}:${port}`,
    `  database: ${database.path}`,
    `  API: http://${shownHost}:${port}/trpc   health: http://${shownHost}:${port}/health`,
    config.webDist === null ? "  web client: not built (run the web build to serve it here)" : `  web client: ${config.webDist}`,
  ];
  if (demo !== null) {
    lines.push(
      "",
      `Demo mode${demo.seeded ? " (seeded now)" : ""}: every account's password is "${demoPassword}"`,
      ...demo.accounts.map((a) => `  ${a.username.padEnd(14)} ${a.role.padEnd(12)} ${a.department ?? "-"}`),
    );
  }
  lines.push(...firstAdministratorHint(database.db, database.path));
  process.stdout.write(`${lines.join("\n")}\n`);

  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    process.stdout.write(`${signal}: closing\n`);
    void app.close().finally(() => {
      database.close();
      process.exit(0);
    });
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
