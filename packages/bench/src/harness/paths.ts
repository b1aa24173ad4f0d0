import { fileURLToPath } from "node:url";

/** The repository root, from src/ or dist/ alike (packages/bench/<dir>/harness). */
export const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
/** The server with the benchmark's procedures and route (`bench.*`, `/bench/constant`): what the benchmark starts. */
export const benchServerMain = fileURLToPath(new URL("../../../../apps/server/dist/bench-support/server.js", import.meta.url));
export const serverCli = fileURLToPath(new URL("../../../../apps/server/dist/cli.js", import.meta.url));
export const webSizeScript = fileURLToPath(new URL("../../../../scripts/web-size.mjs", import.meta.url));
export const webDist = fileURLToPath(new URL("../../../../apps/web/dist", import.meta.url));
export const bareServerScript = fileURLToPath(new URL("../../dist/harness/bare-server.js", import.meta.url));
