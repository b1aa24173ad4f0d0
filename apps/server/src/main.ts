/**
 * Starts the server: opens (and migrates) the database, loads the default plan on first start, seeds the demo when
 * asked (`--demo` or COUNTERSIGN_DEMO=1; never otherwise), says how to create the first administrator while there is
 * none, and listens on HOST:PORT (localhost:3000 by default). The heap's growth is limited first (heap-policy.ts).
 * SIGTERM or SIGINT shut it down gracefully (start.ts: requests in flight finish within SHUTDOWN_DRAIN_SECONDS) and it
 * exits 0. A setting at fault (readConfig refuses it, naming the setting and the value) is one line and exit 1.
 */
import { readConfig } from "./config.js";
import type { ServerConfig } from "./config.js";
import { runServer } from "./start.js";

let config: ServerConfig;
try {
  config = readConfig();
} catch (error) {
  // Everything readConfig throws is about a setting: the operator needs the sentence, not the stack.
  process.stderr.write(`Countersign cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
runServer(config).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
