import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

export interface ServerProcess {
  pid: number;
  url: string;
  /** From spawning the process until GET /health first answered 200. */
  startupMs: number;
  /** The process's peak resident set so far (VmHWM), in MiB. */
  peakRssMiB(): number;
  /** What the process printed, for error messages. */
  output(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** VmHWM of a Linux process, in MiB. */
export function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
  if (match?.[1] === undefined) throw new Error(`no VmHWM for process ${pid}`);
  return Number(match[1]) / 1024;
}

/** Starts a Node script as its own process and waits until GET `readyPath` answers 200. */
export async function startProcess(
  script: string,
  options: { args?: string[]; env?: NodeJS.ProcessEnv; readyPath?: string; timeoutMs?: number; nodeArgs?: string[] },
): Promise<ServerProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = "";
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeArgs ?? []), script, ...(options.args ?? [])], {
    env: { ...process.env, ...options.env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  let exited: number | null = null;
  const exit = new Promise<void>((resolve) => {
    child.once("exit", (code) => {
      exited = code ?? -1;
      resolve();
    });
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${script}`);

  const deadline = started + (options.timeoutMs ?? 60_000);
  let startupMs = -1;
  while (startupMs < 0) {
    if (exited !== null) throw new Error(`${script} exited with ${exited} before answering:\n${output}`);
    if (performance.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${script} did not answer ${options.readyPath ?? "/health"} in time:\n${output}`);
    }
    try {
      const res = await fetch(url + (options.readyPath ?? "/health"));
      await res.arrayBuffer();
      if (res.status === 200) startupMs = performance.now() - started;
    } catch {
      await sleep(2);
    }
  }

  return {
    pid,
    url,
    startupMs,
    peakRssMiB: () => peakRssMiB(pid),
    output: () => output,
    stop: async () => {
      if (exited !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** VmRSS (the resident set now) of a Linux process, in MiB. */
export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (match?.[1] === undefined) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) / 1024;
}

/** The parts of a Linux process's resident set now (RssAnon, RssFile, RssShmem), in MiB. */
export function rssPartsMiB(pid: number): { anon: number; file: number; shmem: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const part = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, "m").exec(status)?.[1] ?? Number.NaN) / 1024;
  return { anon: part("RssAnon"), file: part("RssFile"), shmem: part("RssShmem") };
}
