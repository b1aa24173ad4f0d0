import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runLoad } from "../harness/load.js";
import type { LoadResult } from "../harness/load.js";
import { bareServerScript } from "../harness/paths.js";
import { startProcess } from "../harness/server-process.js";
import type { ServerProcess } from "../harness/server-process.js";
import { getQuery, queryPath } from "../harness/trpc-http.js";
import { notAvailable } from "../report.js";
import type { Engine, Figure } from "../report.js";

export interface LoadSettings {
  connections: number;
  seconds: number;
  warmupSeconds: number;
}

export interface ReadsInput {
  server: ServerProcess;
  /** The signed-in liaison's session cookie. */
  cookie: string;
  /** The liaison's department: the constant query answers that department's first page, computed once. */
  department: string;
  load: LoadSettings;
  workDir: string;
  /** On PostgreSQL a server without validators (no ETag) is measured without the revalidated rows. */
  engine: Engine;
  log: (line: string) => void;
}

const noValidators = "inbox.list answered without an ETag: the instance's data version was unknown (its LISTEN connection not listening), so validators and the answer cache were off";
const fmt = (n: number, digits = 0): string => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const describe = (r: LoadResult): string => `${fmt(r.rps)} rps, p50 ${fmt(r.p50Ms, 1)} ms, p99 ${fmt(r.p99Ms, 1)} ms`;

function assertClean(name: string, r: LoadResult): void {
  if (r.failures > 0) throw new Error(`${name}: ${r.failures} failed requests (errors, timeouts or non-2xx) under load`);
  if (r.requests === 0) throw new Error(`${name}: no request completed`);
}

/**
 * Reads: the liaison's first inbox page (50 rows and the counts) under load, against the same load on two ceilings
 * measured in the same run: a constant tRPC query answering the same bytes on the same server stack (what the
 * transport allows), and a bare node:http server answering the same bytes (what the machine allows). Then the
 * transport's alternatives: a plain Fastify route with the same bytes, and tRPC batching.
 */
export async function benchReads(input: ReadsInput): Promise<{ figures: Figure[]; responseBytes: number }> {
  const { server, cookie, department, load, log } = input;
  const inboxPath = queryPath("inbox.list", { limit: 50 });
  const inbox = await getQuery(server.url, inboxPath, cookie);
  // The page's entity tag (the server's answer cache and validators, issue 17): a revalidating client sends it back.
  const etag = (await fetch(server.url + inboxPath, { headers: { cookie } })).headers.get("etag");
  if (etag === null && input.engine !== "postgres") throw new Error("inbox.list answered without an ETag");
  const constantPath = queryPath("bench.constant", { department, limit: 50 });
  const constant = await getQuery(server.url, constantPath, null);
  if (!constant.body.equals(inbox.body)) {
    throw new Error(
      `bench.constant does not answer the inbox page's bytes (${constant.body.length} vs ${inbox.body.length} bytes): the comparison would not be fair`,
    );
  }
  const signedInPath = queryPath("bench.constantSignedIn", { department, limit: 50 });
  const fastifyPath = `/bench/constant?department=${encodeURIComponent(department)}&limit=50`;
  const fastifyBody = await fetch(server.url + fastifyPath).then(async (r) => Buffer.from(await r.arrayBuffer()));
  if (!fastifyBody.equals(inbox.body)) throw new Error("/bench/constant does not answer the inbox page's bytes");

  const bodyFile = join(input.workDir, "inbox-page.json");
  writeFileSync(bodyFile, inbox.body);
  const bare = await startProcess(bareServerScript, { args: [bodyFile, inbox.contentType], readyPath: "/" });

  const batchSize = 10;
  const batchInput = Object.fromEntries(Array.from({ length: batchSize }, (_, i) => [String(i), { limit: 50 }]));
  const batchPath = `/trpc/${Array.from({ length: batchSize }, () => "inbox.list").join(",")}?batch=1&input=${encodeURIComponent(JSON.stringify(batchInput))}`;

  try {
    const settings = { connections: load.connections, seconds: load.seconds, warmupSeconds: load.warmupSeconds };
    log("reads: inbox.list (authenticated) under load");
    const r = await runLoad({ ...settings, url: server.url + inboxPath, headers: { cookie } });
    assertClean("inbox.list", r);
    log("reads: inbox.list revalidated (If-None-Match) under load");
    const revalidated =
      etag === null ? null : await runLoad({ ...settings, url: server.url + inboxPath, headers: { cookie, "if-none-match": etag }, notModifiedIsAnswer: true });
    if (revalidated !== null) assertClean("inbox.list revalidated", revalidated);
    log("reads: inbox.list, every request a new URL (never from the answer cache) under load");
    let n = 0;
    const uncached = await runLoad({
      ...settings,
      url: server.url + inboxPath,
      headers: { cookie },
      // tRPC reads `input` only; another parameter makes another cache key, so every answer is built.
      requests: [
        {
          setupRequest: (request) => {
            n += 1;
            return { ...request, path: `${inboxPath}&n=${n}` };
          },
        },
      ],
    });
    assertClean("inbox.list uncached", uncached);
    log("reads: the constant tRPC query under load");
    const c = await runLoad({ ...settings, url: server.url + constantPath });
    assertClean("bench.constant", c);
    log("reads: a bare node:http server under load");
    const b = await runLoad({ ...settings, url: bare.url + "/" });
    assertClean("bare node:http", b);
    log("reads: a plain Fastify route with the same bytes under load");
    const f = await runLoad({ ...settings, url: server.url + fastifyPath });
    assertClean("plain Fastify route", f);
    log("reads: the constant behind the session check under load");
    const cached = await runLoad({ ...settings, url: server.url + signedInPath, headers: { cookie } });
    assertClean("bench.constantSignedIn", cached);
    log(`reads: inbox.list batched ${batchSize} to a request under load`);
    const batched = await runLoad({ ...settings, url: server.url + batchPath, headers: { cookie } });
    assertClean("batched inbox.list", batched);

    const bytes = inbox.body.length;
    const figures: Figure[] = [
      {
        id: "reads.inbox",
        section: "reads",
        name: "inbox.list, first page of 50 with counts (authenticated, HTTP; a repeated page: 200 from the answer cache)",
        value: r.rps,
        unit: "rps",
        digits: 0,
        detail: `${describe(r)}; ${fmt(bytes)} bytes a response`,
      },
      ...(revalidated === null
        ? [
            notAvailable("reads.inbox-revalidated", "reads", "inbox.list revalidated (If-None-Match)", noValidators),
            notAvailable("reads.ratio-revalidated", "reads", "inbox.list revalidated ÷ constant tRPC query", noValidators),
          ]
        : ([
            {
              id: "reads.inbox-revalidated",
              section: "reads",
              name: "inbox.list revalidated: If-None-Match with the page's ETag (304 without a body while nothing changed)",
              value: revalidated.rps,
              unit: "rps",
              digits: 0,
              detail: `${describe(revalidated)}; ${fmt(revalidated.notModified)} × 304 and ${fmt(revalidated.requests - revalidated.notModified)} × 200 of ${fmt(revalidated.requests)}`,
            },
            {
              id: "reads.ratio-revalidated",
              section: "reads",
              name: "inbox.list revalidated ÷ constant tRPC query",
              value: revalidated.rps / c.rps,
              unit: "",
              digits: 2,
              target: { op: "≥", value: 1.0 },
            },
          ] satisfies Figure[])),
      {
        id: "reads.inbox-uncached",
        section: "reads",
        name: "inbox.list, every answer built (a new URL each request: never from the answer cache)",
        value: uncached.rps,
        unit: "rps",
        digits: 0,
        detail: `${describe(uncached)}; ${fmt(uncached.rps / c.rps, 2)} of the constant query`,
      },
      { id: "reads.inbox-p99", section: "reads", name: "inbox.list p99 latency at 10 connections", value: r.p99Ms, unit: "ms", digits: 1, target: { op: "≤", value: 25 } },
      {
        id: "reads.constant",
        section: "reads",
        name: "ceiling (a): constant tRPC query, same bytes, same stack",
        value: c.rps,
        unit: "rps",
        digits: 0,
        detail: describe(c),
      },
      { id: "reads.bare", section: "reads", name: "ceiling (b): bare node:http, same bytes", value: b.rps, unit: "rps", digits: 0, detail: describe(b) },
      {
        id: "reads.ratio-constant",
        section: "reads",
        name: "inbox.list ÷ constant tRPC query",
        value: r.rps / c.rps,
        unit: "",
        digits: 2,
        target: { op: "≥", value: 0.8 },
      },
      { id: "reads.ratio-bare", section: "reads", name: "inbox.list ÷ bare node:http", value: r.rps / b.rps, unit: "", digits: 3 },
      {
        id: "reads.fastify",
        section: "reads",
        name: "alternative: plain Fastify route, same bytes (no tRPC adapter)",
        value: f.rps,
        unit: "rps",
        digits: 0,
        detail: `${describe(f)}; ${fmt(f.rps / c.rps, 1)}× the constant tRPC query`,
      },
      {
        id: "reads.cached",
        section: "reads",
        name: "alternative: the same page from a cache, behind the session check",
        value: cached.rps,
        unit: "rps",
        digits: 0,
        detail: `${describe(cached)}; ${fmt(cached.rps / c.rps, 2)} of the constant query, ${fmt(cached.rps / r.rps, 1)}× inbox.list`,
      },
      {
        id: "reads.batched",
        section: "reads",
        name: `alternative: tRPC batching, ${batchSize} inbox.list per request`,
        value: batched.rps * batchSize,
        unit: "pages/s",
        digits: 0,
        detail: `${describe(batched)} (requests); ${fmt((batched.rps * batchSize) / r.rps, 1)}× unbatched`,
      },
    ];
    return { figures, responseBytes: bytes };
  } finally {
    await bare.stop();
  }
}
