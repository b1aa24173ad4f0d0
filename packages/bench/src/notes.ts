import { met } from "./report.js";
import type { Figure } from "./report.js";

/**
 * Why a target is missed and what it would take, by figure id: written from what the measurements and profiles
 * showed, printed under the table whenever that figure misses its target.
 */
type Lookup = (id: string) => number | undefined;
const ms = (rps: number | undefined): string => (rps === undefined || rps <= 0 ? "?" : (1000 / rps).toFixed(2));
const ratio = (a: number | undefined, b: number | undefined): string =>
  a === undefined || b === undefined || b <= 0 ? "?" : (a / b).toFixed(2);

const whyMissed: Record<string, string | ((value: Lookup) => string)> = {
  "reads.ratio-constant": (value) =>
    `the transport is not the only cost. Per request (the inverse of the rates, on this shared machine) the constant query takes ${ms(value("reads.constant"))} ms and inbox.list ${ms(value("reads.inbox"))} ms; the difference is the procedure itself: in process (no HTTP) it takes up to ${value("queries.inbox-none")?.toFixed(2) ?? "?"} ms (p95) to read 50 index entries and 50 measure rows and turn them into the API's rows with their lateness and text excerpt, and under load the garbage it leaves is collected too. Authentication is no longer part of it (the session lookup is a statement prepared once: 7 µs instead of 190 µs), nor are the counts (kept by triggers, a handful of rows). What it would take: answer a repeated page without reading it again, i.e. a cache of inbox pages keyed by (department, query, day) and dropped on any write (SQLite's data_version and this connection's total_changes() say when), or HTTP validators (an ETag from the same version, 304 Not Modified). The row "the same page from a cache, behind the session check" measures exactly that path: ${ratio(value("reads.cached"), value("reads.constant"))} of the constant query. Batching helps clients that ask for several pages at once; the plain Fastify route shows what the tRPC adapter itself costs (compare its rate with the constant query's).`,
  "reads.inbox-p99":
    "10 connections queue behind one Node thread that shares 2 cores with the load generator: at the measured service time a request waits for the 9 before it, and any pause of the thread (garbage collection, the scheduler giving the core to autocannon) lands in the tail. The median is a few milliseconds. What it would take: a faster request (see the ratio above: a cached page halves the service time), or fewer connections per core; the tail is set by the machine more than by the code.",
  "writes.ratio":
    (value) =>
    `the raw loop is the floor of one durable transaction (six prepared statements and one fsync: ${ms(value("writes.raw"))} ms here, this disk syncs fast), so whatever HTTP, tRPC, input validation, the session check and the JSON answer cost shows up at full weight. The server's transaction itself is now close to the loop's (prepared statements, only the changed columns written, no index rewritten for an unchanged status); what remains is the request around it (${ms(value("writes.http"))} ms a request in all). What it would take: group commit, i.e. the requests that arrive while a commit is syncing join the next transaction (one fsync for several acknowledged sign-offs, each still durable before its answer), which is how databases go past one fsync per transaction; or a cheaper transport for mutations than tRPC (see the plain Fastify route under reads).`,
  "queries.inbox-search":
    "a search looks for the words in the title and text of every measure the department was ever given (a substring match, instr(), so that Chinese text without spaces is found too): its cost grows with the department's whole history (here about 50,000 assignments, 50,000 measure texts read), not with the page. What it would take: a full-text index on the measures (SQLite's FTS5 with the trigram tokenizer, which matches substrings of 3 characters or more, Chinese included) joined to the assignments by measure, or searching within one plan by default (with a planId the same search is under a millisecond).",
  "exports.large-pdf":
    "Chromium paginates a 500-row × 60-column table (30,000 cells, 124 pages: each status cell wraps a character a line) and prints it; the time is Chromium's print layout and PDF writing, not the server's. The page is no longer laid out for the screen first (it was about 0.5 s) and its footer comes from its own @page rule rather than Chromium's per-page footer template (about a fifth of the print's CPU); the table already has a fixed layout. Printing one page of the 124 costs nearly as much as printing all of them, so what is left is the print layout of the whole table, not the PDF writing. What it would take: printing the sections in parallel pages (on free cores) and joining them, with the page numbers (which need the joined total) added after the join; on this shared 2-core machine the extra print for the numbers would eat most of the gain.",
  "web.first-row":
    "the inbox page waits for catalog.plans, which lists every plan (13,000 here) with their counts, and for the browser to digest it, before it asks for the inbox (about 20 ms on the server); most of the time is that list. What it would take: not needing every plan to show the inbox (the plan selector could ask for recent or open plans, a page at a time), or a catalog.plans that answers the newest plans first with a cursor.",
  "memory.peak-rss":
    "the peak is the V8 heap, not SQLite or native memory (measured with --trace-gc: about 35 MiB live under the read load; outside the heap about 47 MiB of the node binary's mapped code and about 10 MiB of SQLite's page cache and other native memory, which did not grow). The server now lets the heap grow to 1.5 × what is live before a full collection (apps/server/src/heap-policy.ts), where V8's default on a large machine is up to 4 ×. What would take it further: smaller answers (each inbox row carries a 240-character excerpt) or a smaller young generation (node --max-semi-space-size); both trade a little speed for memory.",
  "memory.soak-peak": "see the peak RSS above: the soak runs the same loads for longer.",
  "memory.soak-slope":
    "a rising RSS over the soak after its first fifth. A short soak (the smoke run's few seconds) mostly shows the heap settling; over 5 minutes a steady rise is a leak to look for with a heap snapshot (node --heapsnapshot-signal).",
  "exports.default-xlsx":
    "the first download loads the renderers (exceljs) and the matrix of the default plan is built from the database; the figure is the median of the later downloads.",
  "queries.tracking":
    "the grid reads every assignment of the plan and derives each measure's status; a plan far larger than these would need the per-measure statuses kept like the inbox counts.",
  startup: "start-up is opening the database, the migrations check and loading the server's modules.",
};

/** Context that every run states, whatever the figures. */
function standing(context: { smoke: boolean; cores: number }): string[] {
  const notes: string[] = [];
  if (context.smoke) notes.push("Smoke run: tiny database and 1-second loads; the figures only prove that every stage works.");
  notes.push(
    `HTTP figures: the load generator (autocannon, in the benchmark's process) and the server share the machine's ${context.cores} cores, so each rate is the server's share of a machine that is also generating the load; the ratios compare like with like.`,
  );
  return notes;
}

export function notesFor(figures: readonly Figure[], context: { smoke: boolean; cores: number }): string[] {
  const notes = standing(context);
  const value: Lookup = (id) => figures.find((f) => f.id === id)?.value;
  for (const f of figures) {
    if (met(f) !== false) continue;
    const entry = whyMissed[f.id];
    const why = typeof entry === "function" ? entry(value) : entry;
    notes.push(`**${f.name}** misses its target${why === undefined ? "." : `: ${why}`}`);
  }
  return notes;
}
