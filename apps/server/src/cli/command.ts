import type { Readable, Writable } from "node:stream";
import { ServiceError } from "../errors.js";

/** What a command may touch: the standard streams and the environment (so tests can run commands in process). */
export interface CliIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
}

export interface CliCommand {
  /** Returns the exit code. */
  run(args: string[], io: CliIo): Promise<number>;
}

/** All of standard input, without its final line break (for `--password-stdin`). */
export async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

/**
 * A service's refusal as every command prints it: `field: message` on standard error, exit code 1. Anything that is
 * not a `ServiceError` is a fault, rethrown for the runner to report.
 */
export function printRefusal(io: CliIo, error: unknown): 1 {
  if (!(error instanceof ServiceError)) throw error;
  io.stderr.write(`${error.field === null ? "" : `${error.field}: `}${error.message}\n`);
  return 1;
}
