import { PassThrough, Readable } from "node:stream";
import type { CliCommand, CliIo } from "../cli/command.js";

/** A command's standard streams in memory: `stdin` as given, what it writes read back with `out()` and `err()`. */
export function cliStreams(env: NodeJS.ProcessEnv, stdin = ""): { io: CliIo; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (c: Buffer) => (out += c.toString()));
  stderr.on("data", (c: Buffer) => (err += c.toString()));
  return { io: { stdin: Readable.from([stdin]), stdout, stderr, env }, out: () => out, err: () => err };
}

/** Runs `command` with `args` in process, as `cli` would: its exit code and what it wrote. */
export async function runCommand(command: CliCommand, args: string[], env: NodeJS.ProcessEnv, stdin = ""): Promise<{ code: number; out: string; err: string }> {
  const streams = cliStreams(env, stdin);
  const code = await command.run(args, streams.io);
  return { code, out: streams.out(), err: streams.err() };
}
