/**
 * `seed:scale --assignments N --out file`: a generated national-scale history for the benchmark. The generator lives
 * in packages/bench (which depends on this package), so it is loaded from that package's build, not imported; the
 * accounts get the demo password, hashed here by the server's own hasher.
 */
import { demoPassword } from "../demo/demo-accounts.js";
import { hashPassword } from "../services/auth/password.js";
import type { CliCommand } from "./command.js";

const generator = new URL("../../../../packages/bench/dist/seed-scale-cli.js", import.meta.url);

interface SeedScaleCli {
  runSeedScaleCli(
    args: string[],
    io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream; passwordHash: () => Promise<string>; interactive?: boolean },
  ): Promise<number>;
}

function isSeedScaleCli(value: unknown): value is SeedScaleCli {
  return typeof value === "object" && value !== null && typeof (value as Record<string, unknown>)["runSeedScaleCli"] === "function";
}

export const seedScaleCommand: CliCommand = {
  async run(args, io) {
    let loaded: unknown;
    try {
      loaded = await import(generator.href);
    } catch {
      io.stderr.write("seed:scale needs the benchmark package built (pnpm build).\n");
      return 1;
    }
    if (!isSeedScaleCli(loaded)) {
      io.stderr.write(`${generator.pathname} does not export runSeedScaleCli.\n`);
      return 1;
    }
    return loaded.runSeedScaleCli(args, {
      stdout: io.stdout,
      stderr: io.stderr,
      passwordHash: () => hashPassword(demoPassword),
      interactive: process.stderr.isTTY === true,
    });
  },
};
