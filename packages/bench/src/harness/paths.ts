import { fileURLToPath } from "node:url";

/** The repository root, from src/ or dist/ alike (packages/bench/<dir>/harness). */
export const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
export const serverMain = fileURLToPath(new URL("../../../../apps/server/dist/main.js", import.meta.url));
export const serverCli = fileURLToPath(new URL("../../../../apps/server/dist/cli.js", import.meta.url));
export const webSizeScript = fileURLToPath(new URL("../../../../scripts/web-size.mjs", import.meta.url));
export const webDist = fileURLToPath(new URL("../../../../apps/web/dist", import.meta.url));
export const bareServerScript = fileURLToPath(new URL("../../dist/harness/bare-server.js", import.meta.url));
