import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { serverCli, serverMain } from "./paths.js";

export interface StartedServer {
  /** http://127.0.0.1:<port> */
  url: string;
  dbPath: string;
  pid: number;
  /** Everything the server wrote so far (stdout and stderr). */
  output(): string;
  /** SIGTERM and wait for the exit (a clean shutdown). */
  stop(): Promise<void>;
  /** SIGKILL and wait for the exit: no shutdown code runs, as in a crash. */
  kill(): Promise<void>;
  exited: Promise<number | null>;
}

export interface StartOptions {
  /** The SQLite file; "" with DATABASE_URL in `env` (PostgreSQL). */
  dbPath: string;
  /** Seed the demo accounts and plan (first start only). */
  demo?: boolean;
  env?: Record<string, string>;
  /** The web client to serve; default none. */
  webDist?: string;
}

/** Environment for a child that must not inherit the caller's server settings. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(PORT|HOST|DATABASE_PATH|DATABASE_URL|COUNTERSIGN_DEMO|WEB_DIST|AUDIT_CHECKPOINT_KEY|SESSION_|LOGIN_|ALLOWED_ORIGINS|BODY_LIMIT|TRUST_PROXY|INIT_CWD)/.test(k)) continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

/** Starts the real server (`node apps/server/dist/main.js`) on a free port of 127.0.0.1 and a database file. */
export function startServer(options: StartOptions): Promise<StartedServer> {
  const env = cleanEnv({
    PORT: "0",
    HOST: "127.0.0.1",
    ...(options.dbPath === "" ? {} : { DATABASE_PATH: options.dbPath }),
    WEB_DIST: options.webDist ?? "/nonexistent-web-dist",
    ...(options.demo === true ? { COUNTERSIGN_DEMO: "1" } : {}),
    ...options.env,
  });
  const child: ChildProcess = spawn(process.execPath, [serverMain], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise<StartedServer>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the server did not start within 90 s:\n${output}`));
    }, 90_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString("utf8");
      const match = /running at (http:\/\/[^\s]+)/.exec(output);
      if (match?.[1] !== undefined && child.pid !== undefined) {
        clearTimeout(timer);
        const pid = child.pid;
        const url = match[1];
        const signal = async (sig: NodeJS.Signals): Promise<void> => {
          if (child.exitCode === null && child.signalCode === null) child.kill(sig);
          await exited;
        };
        resolve({
          url,
          dbPath: options.dbPath,
          pid,
          output: () => output,
          stop: () => signal("SIGTERM"),
          kill: () => signal("SIGKILL"),
          exited,
        });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before it was ready:\n${output}`));
    });
  });
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the server's command line (`node apps/server/dist/cli.js`, what `pnpm --silent cli` runs) on a database file. */
export function runCli(args: string[], dbPath: string, stdin?: string, env: Record<string, string> = {}): Promise<CliResult> {
  const child = spawn(process.execPath, [serverCli, ...args], {
    env: cleanEnv({ ...env, DATABASE_PATH: dbPath }),
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => {
    stdout += c.toString("utf8");
  });
  child.stderr.on("data", (c: Buffer) => {
    stderr += c.toString("utf8");
  });
  child.stdin.end(stdin ?? "");
  return new Promise((resolve) => child.once("close", (code) => resolve({ code, stdout, stderr })));
}
