/**
 * Starts the server: opens (and migrates) the database, loads the default plan on first start, seeds the demo when
 * asked (`--demo` or COUNTERSIGN_DEMO=1; never otherwise), says how to create the first administrator while there is
 * none, and listens on HOST:PORT (localhost:3000 by default). The heap's growth is limited first (heap-policy.ts).
 * SIGTERM or SIGINT shut it down gracefully (start.ts: requests in flight finish within SHUTDOWN_DRAIN_SECONDS) and it
 * exits 0.
 */
import { readConfig } from "./config.js";
import { runServer } from "./start.js";

runServer(readConfig()).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
