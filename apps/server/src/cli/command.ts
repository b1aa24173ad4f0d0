import type { Readable, Writable } from "node:stream";

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
