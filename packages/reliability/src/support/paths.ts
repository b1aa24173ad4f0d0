import { fileURLToPath } from "node:url";

/** The repository root, from this file (src/support or a compiled copy alike). */
export const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));

/** The built server and command line: the suite runs what `npm start` runs. */
export const serverMain = fileURLToPath(new URL("apps/server/dist/main.js", `file://${repoRoot}`));
export const serverCli = fileURLToPath(new URL("apps/server/dist/cli.js", `file://${repoRoot}`));
export const serverSrc = fileURLToPath(new URL("apps/server/src", `file://${repoRoot}`));
