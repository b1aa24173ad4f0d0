import { runLoad } from "../harness/load.js";
import type { LoadResult } from "../harness/load.js";
import type { BenchData } from "../harness/bench-data.js";
import type { ServerProcess } from "../harness/server-process.js";
import { queryPath } from "../harness/trpc-http.js";
import type { Figure } from "../report.js";
import type { LoadSettings } from "./reads.js";
import { progressReportRequest } from "./writes.js";

export interface TwoInstancesInput {
  /** The server the other stages measured, and a second process started on the same database. */
  first: ServerProcess;
  second: ServerProcess;
  /** The liaison's session: sessions live in the database, so one cookie signs in on both instances. */
  cookie: string;
  user: { id: number; username: string; department: string };
  data: BenchData;
  load: LoadSettings;
  log: (line: string) => void;
}

const fmt = (n: number, d = 0): string => n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
const describe = (r: LoadResult): string => `${fmt(r.rps)} rps, p50 ${fmt(r.p50Ms, 1)} ms, p99 ${fmt(r.p99Ms, 1)} ms`;

function clean(name: string, r: LoadResult): void {
  if (r.failures > 0) throw new Error(`${name}: ${r.failures} failed requests (errors, timeouts or non-2xx) under load`);
  if (r.requests === 0) throw new Error(`${name}: no request completed`);
}

const figuresOf = (id: string, name: string, unit: string, half: number, a: LoadResult, b: LoadResult): Figure[] => [
  { id: `two-instances.${id}-a`, section: "two instances", name: `${name}, instance A`, value: a.rps, unit, digits: 0, detail: describe(a) },
  { id: `two-instances.${id}-b`, section: "two instances", name: `${name}, instance B`, value: b.rps, unit, digits: 0, detail: describe(b) },
  {
    id: `two-instances.${id}`,
    section: "two instances",
    name: `${name}, both instances combined`,
    value: a.rps + b.rps,
    unit,
    digits: 0,
    detail: `${half} connections on each instance, at the same time`,
  },
];

/**
 * Reads through two instances on one PostgreSQL database (issue 13): the liaison's first inbox page under load on
 * both processes at once, half the connections each. Per instance and combined (the sum of the two rates over the
 * same seconds). Both instances and the load generator share the machine's cores.
 */
export async function benchTwoInstanceReads(input: TwoInstancesInput): Promise<Figure[]> {
  const { first, second, cookie, load, log } = input;
  const half = Math.max(1, Math.floor(load.connections / 2));
  const settings = { connections: half, seconds: load.seconds, warmupSeconds: load.warmupSeconds };
  const inboxPath = queryPath("inbox.list", { limit: 50 });
  log(`two instances: inbox.list through both at once, ${half} connections each`);
  const [readsA, readsB] = await Promise.all([first, second].map((s) => runLoad({ ...settings, url: s.url + inboxPath, headers: { cookie } })));
  if (readsA === undefined || readsB === undefined) throw new Error("two instances: a read load gave no result");
  clean("inbox.list on instance A", readsA);
  clean("inbox.list on instance B", readsB);
  return figuresOf("reads", "inbox.list, first page of 50 (authenticated)", "rps", half, readsA, readsB);
}

/**
 * Writes through two instances on one PostgreSQL database: reportProgress under load on both processes at once,
 * half the connections each, every connection on its own assignment (the load measures throughput, not version
 * races between the instances; races are the reliability suite's). Per instance and combined.
 */
export async function benchTwoInstanceWrites(input: TwoInstancesInput): Promise<Figure[]> {
  const { first, second, cookie, load, log } = input;
  const half = Math.max(1, Math.floor(load.connections / 2));
  const settings = { connections: half, seconds: load.seconds, warmupSeconds: load.warmupSeconds };
  log(`two instances: assignment.reportProgress through both at once, ${half} connections each`);
  const slots = await input.data.openAssignments(input.user.department, half * 4, half * 2 + 2);
  const slotsA = slots.filter((_, i) => i % 2 === 0);
  const slotsB = slots.filter((_, i) => i % 2 === 1);
  const [writesA, writesB] = await Promise.all(
    [
      { server: first, slots: slotsA },
      { server: second, slots: slotsB },
    ].map(({ server, slots: own }) =>
      runLoad({
        ...settings,
        url: `${server.url}/trpc/assignment.reportProgress`,
        requests: [progressReportRequest(own, cookie)],
        beforeEachRun: async () => {
          await new Promise((resolve) => setTimeout(resolve, 300));
          await input.data.refreshVersions(own);
        },
      }),
    ),
  );
  if (writesA === undefined || writesB === undefined) throw new Error("two instances: a write load gave no result");
  clean("reportProgress on instance A", writesA);
  clean("reportProgress on instance B", writesB);
  return figuresOf("writes", "assignment.reportProgress", "tx/s", half, writesA, writesB);
}
