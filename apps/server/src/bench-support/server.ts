/**
 * The benchmark's server process (packages/bench starts `dist/bench-support/server.js` instead of `dist/main.js`):
 * the production server, configured from the same environment, plus the `bench.*` procedures and the
 * `/bench/constant` route that measure the transport's ceilings. Production start never loads this module.
 */
import { readConfig } from "../config.js";
import type { AppRouter } from "../router.js";
import { runServer } from "../start.js";
import { benchAppRouter, registerBenchRoutes } from "./bench-router.js";

// The public API's procedures and more: served as the API's router type, which describes every procedure but `bench.*`.
const router: AppRouter = benchAppRouter;

runServer(readConfig(), { app: { router }, extend: registerBenchRoutes }).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
