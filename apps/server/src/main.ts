/**
 * Starts the server: opens (and migrates) the database, loads the default plan on first start, seeds the demo when
 * asked (`--demo` or COUNTERSIGN_DEMO=1; never otherwise), says how to create the first administrator while there is
 * none, and listens on HOST:PORT (localhost:3000 by default). SIGTERM or SIGINT shut it down gracefully (start.ts:
 * requests in flight finish within SHUTDOWN_DRAIN_SECONDS) and it exits 0.
 */
import { readConfig } from "./config.js";
import { demoPassword } from "./demo/demo-accounts.js";
import { firstAdministratorHint } from "./setup/first-administrator.js";
import { startServer } from "./start.js";

async function main(): Promise<void> {
  const config = readConfig();
  const server = await startServer(config);
  const { database, demo, port } = server;
  const shownHost = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;

  const lines = [
    `Countersign is running at http://${shownHost}:${port}`,
    `  database: ${database.path}`,
    `  API: http://${shownHost}:${port}/trpc   health: http://${shownHost}:${port}/health   ready: http://${shownHost}:${port}/ready`,
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

  const onSignal = (signal: string): void => {
    process.stdout.write(`${signal}: shutting down (requests in flight may take ${config.drainTimeoutMs / 1000} s to finish)\n`);
    server.shutdown().then(
      (report) => {
        process.stdout.write(
          `${signal}: closed after ${report.elapsedMs} ms (${report.drained ? "every request finished" : `${report.cutOff} requests cut off`}, ${report.liveStreams} live streams ended)\n`,
        );
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`${signal}: shutdown failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => onSignal("SIGINT"));
  process.on("SIGTERM", () => onSignal("SIGTERM"));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
