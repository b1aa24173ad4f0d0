import { runLoad } from "../harness/load.js";
import { peakRssMiB, rssMiB, rssPartsMiB } from "../harness/server-process.js";
import type { ServerProcess } from "../harness/server-process.js";
import { queryPath } from "../harness/trpc-http.js";
import type { Figure } from "../report.js";
import type { BenchData } from "../harness/bench-data.js";
import { progressReportRequest } from "./writes.js";

export interface SoakInput {
  server: ServerProcess;
  /** The database the server runs on: where the write phases' assignments and versions are read. */
  data: BenchData;
  /** The signed-in liaison's session cookie, and who they are: their department's open assignments are reported on. */
  cookie: string;
  user: { id: number; username: string; department: string };
  connections: number;
  /** How long the soak runs, in seconds (5 minutes in the full benchmark). */
  seconds: number;
  /** Each read or write phase, in seconds: the soak alternates them until `seconds` have passed. */
  phaseSeconds: number;
  log: (line: string) => void;
}

export interface RssSample {
  /** Seconds since the soak started. */
  t: number;
  mib: number;
}

/**
 * Least-squares slope of the samples, in MiB per minute; NaN for fewer than two. A heap that saws up and down
 * around a level gives about 0; a leak gives its rate.
 */
export function slopeMiBPerMinute(samples: readonly RssSample[]): number {
  const n = samples.length;
  if (n < 2) return Number.NaN;
  const meanT = samples.reduce((s, x) => s + x.t, 0) / n;
  const meanM = samples.reduce((s, x) => s + x.mib, 0) / n;
  let cov = 0;
  let varT = 0;
  for (const x of samples) {
    cov += (x.t - meanT) * (x.mib - meanM);
    varT += (x.t - meanT) ** 2;
  }
  return varT === 0 ? Number.NaN : (cov / varT) * 60;
}

/**
 * The soak: the read load (inbox.list) and the write load (assignment.reportProgress) alternated against the
 * running server for `seconds`, its RSS (VmRSS) sampled every second. Reports the RSS at the start, the highest
 * sample, the RSS at the end, and the slope over the samples after the first fifth (the first phases warm the JIT
 * and the caches up; growth after that is what a leak looks like).
 */
export async function benchSoak(input: SoakInput): Promise<Figure[]> {
  const { server, cookie, connections, log } = input;
  const inboxUrl = server.url + queryPath("inbox.list", { limit: 50 });
  const slots = await input.data.openAssignments(input.user.department, connections * 2, connections + 1);
  const writes = [progressReportRequest(slots, cookie)];

  log(`soak: reads and writes alternated for ${input.seconds} s, RSS sampled every second`);
  const started = performance.now();
  const partsAtStart = rssPartsMiB(server.pid);
  const samples: RssSample[] = [{ t: 0, mib: rssMiB(server.pid) }];
  const sampler = setInterval(() => samples.push({ t: (performance.now() - started) / 1000, mib: rssMiB(server.pid) }), 1000);
  let requests = 0;
  let failures = 0;
  try {
    for (let phase = 0; (performance.now() - started) / 1000 < input.seconds; phase += 1) {
      const left = input.seconds - (performance.now() - started) / 1000;
      const seconds = Math.max(1, Math.min(input.phaseSeconds, Math.round(left)));
      const result =
        phase % 2 === 0
          ? await runLoad({ url: inboxUrl, headers: { cookie }, connections, seconds, warmupSeconds: 0 })
          : await runLoad({
              url: `${server.url}/trpc/assignment.reportProgress`,
              connections,
              seconds,
              warmupSeconds: 0,
              requests: writes,
              beforeEachRun: async () => {
                await new Promise((resolve) => setTimeout(resolve, 300));
                await input.data.refreshVersions(slots);
              },
            });
      requests += result.requests;
      failures += result.failures;
    }
  } finally {
    clearInterval(sampler);
  }
  samples.push({ t: (performance.now() - started) / 1000, mib: rssMiB(server.pid) });
  const partsAtEnd = rssPartsMiB(server.pid);
  if (failures > 0) throw new Error(`soak: ${failures} failed requests`);
  const duration = samples[samples.length - 1]?.t ?? 0;
  const settled = samples.filter((s) => s.t >= duration / 5);
  const first = samples[0]?.mib ?? Number.NaN;
  const last = samples[samples.length - 1]?.mib ?? Number.NaN;
  const peak = Math.max(...samples.map((s) => s.mib));
  const fmt = (n: number, d = 0): string => n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
  const detail = `${fmt(duration, 1)} s, ${samples.length} samples, ${fmt(requests)} requests (reads and writes alternated in ${input.phaseSeconds} s phases, ${connections} connections)`;
  return [
    { id: "memory.soak-start", section: "memory", name: "soak: server RSS at the start", value: first, unit: "MiB", digits: 0, detail },
    {
      id: "memory.soak-peak",
      section: "memory",
      name: "soak: server RSS, highest sample",
      value: peak,
      unit: "MiB",
      digits: 0,
      target: { op: "≤", value: 250 },
      detail: `VmHWM after the soak ${fmt(peakRssMiB(server.pid))} MiB`,
    },
    {
      id: "memory.soak-end",
      section: "memory",
      name: "soak: server RSS at the end",
      value: last,
      unit: "MiB",
      digits: 0,
      // Which part moved: the heap and other private memory (anon), mapped files (the node binary, SQLite's file), shared memory (the WAL index).
      detail: `anon ${fmt(partsAtStart.anon)} → ${fmt(partsAtEnd.anon)} MiB, file ${fmt(partsAtStart.file)} → ${fmt(partsAtEnd.file)} MiB, shmem ${fmt(partsAtStart.shmem)} → ${fmt(partsAtEnd.shmem)} MiB`,
    },
    {
      id: "memory.soak-slope",
      section: "memory",
      name: "soak: RSS growth after the first fifth (least-squares slope)",
      value: slopeMiBPerMinute(settled),
      unit: "MiB/min",
      digits: 2,
      target: { op: "≤", value: 1 },
      detail: `over ${settled.length} samples from ${fmt(settled[0]?.t ?? 0, 1)} s`,
    },
  ];
}
