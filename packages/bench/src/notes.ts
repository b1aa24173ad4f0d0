import { met } from "./report.js";
import type { Figure } from "./report.js";

/**
 * Why a target is missed and what it would take, by figure id: written from what the measurements and profiles
 * showed, printed under the table whenever that figure misses its target.
 */
type Lookup = (id: string) => number | undefined;
const ms = (rps: number | undefined): string => (rps === undefined || rps <= 0 ? "?" : (1000 / rps).toFixed(2));

/**
 * Why an inbox.list p95 in process sits just over 5 ms on PostgreSQL while its median is 1–3 ms (the detail column):
 * the tail is pauses, not the plan. Round 7's diagnostic (node's GC tracing around the same calls) found about half of
 * the slowest calls holding a young-generation collection of the bench process, the rest waiting on PostgreSQL.
 */
function inboxTail(p95: number | undefined): string {
  return `the median of each case is a few milliseconds (the detail column) and the statements' plans are index scans (the plans below); the 95th percentile${p95 === undefined ? "" : ` (${p95.toFixed(2)} ms)`} is set by pauses: in round 7's diagnostic (node's GC tracing around the same calls) about half of the slowest calls held a young-generation garbage collection of the benchmark's process (each call allocates the page's rows as drizzle maps them, the tRPC caller's objects and the answer; some of it lives long enough to be copied), the others waited on PostgreSQL (two pooled connections, the counts and the page at once). Round 7 cut what a page reads (240 characters of each measure's text instead of the whole text); round 8 selects a page's rows flat, without the times, measure id and search key a row does not show, and builds each row from one summary instead of three copies: about 16% fewer young-generation collections over the same calls (pnpm --filter @countersign/bench bench:inbox-gc on the PostgreSQL scale database, 1,500 in-process inbox.list calls: 72–74 against 87–88 before). What is left to allocate is the driver's rows (a string per column), the tRPC caller's objects and the answer; a larger young generation for the server process (node --max-semi-space-size) would make the pauses rarer at a cost in resident memory against the 250 MiB target.`;
}

const whyMissed: Record<string, string | ((value: Lookup) => string)> = {
  "reads.ratio-constant": (value) =>
    `a repeated page is sent from the server's answer cache (issue 17: built answers keyed by the data version, the user, the day and the URL), so this is the cost of the session check, the version read and sending the kept bytes; the constant query still runs the tRPC adapter. Per request (the inverse of the rates, on this shared machine) the constant query takes ${ms(value("reads.constant"))} ms and inbox.list ${ms(value("reads.inbox"))} ms; a page built every time (reads.inbox-uncached) takes ${ms(value("reads.inbox-uncached"))} ms, of which the procedure in process is up to ${value("queries.inbox-none")?.toFixed(2) ?? "?"} ms (p95). What it would take: look at the order of the runs (the first load of a run also warms the JIT) and at the load average; the revalidated figure (304) shows the floor of the path.`,
  "reads.ratio-revalidated": (value) =>
    `a 304 costs the session check, the version read and the tag (${ms(value("reads.inbox-revalidated"))} ms a request here); the constant query ${ms(value("reads.constant"))} ms. On a loaded machine both share the cores with the load generator.`,
  "reads.inbox-p99":
    "10 connections queue behind one Node thread that shares 2 cores with the load generator: at the measured service time a request waits for the 9 before it, and any pause of the thread (garbage collection, the scheduler giving the core to autocannon) lands in the tail. The median is a few milliseconds. What it would take: a faster request (see the ratio above: a cached page halves the service time), or fewer connections per core; the tail is set by the machine more than by the code.",
  "writes.ratio":
    (value) =>
    `the raw loop is one durable transaction at a time (six prepared statements and one fsync: ${ms(value("writes.raw"))} ms here), with nothing around it; the server answers a request in ${ms(value("writes.http"))} ms of its thread (HTTP, tRPC's adapter, input validation, the session check, the transaction, the JSON answer). What is left of a write's thread time (node --cpu-prof under this load, round 9), largest first: the SQL (the session's join, the boundary's two lookups, the act's read, its update and the audit append), garbage collection (undici's Request and Response, which tRPC's resolveResponse needs, outlive young-generation collections), writing each batch's WAL frames, tRPC's middleware calls and abort signals, Fastify and Node's HTTP; and some idle time, the 10 connections all waiting on a sync. Between runs the ratio also moves with the raw loop's own fsync (5,044 and 5,157 tx/s in round 9's two full runs).`,
  "queries.inbox-none": (value) => inboxTail(value("queries.inbox-none")),
  "queries.inbox-lateness": (value) => inboxTail(value("queries.inbox-lateness")),
  "queries.inbox-coordinator": (value) => inboxTail(value("queries.inbox-coordinator")),
  "queries.inbox-search":
    "each distinct measure text is indexed once (search_texts with an FTS5 trigram index on SQLite, migration 0017; pg_trgm GIN indexes on PostgreSQL, migration 0018) and each assignment carries the key of its measure's number and text (search_key), so a search reads the matching texts (a few rows), their keys, and then only the department's index entries of those keys (assignments_search_idx, counted by status from the index alone); the first page walks the department's inbox in due-date order (assignments_department_due_idx, which carries search_key) and keeps the matches. A query of 1 or 2 characters scans the distinct texts, not the department's inbox. What is left grows with how many of the department's assignments match (the counts read each matching index entry: about 8,000 for financing at 1,000,000) and with the number of distinct texts for 1-2 characters. What it would take: counts per (department, key, status) kept by triggers (a cost on every write), and a bigram index of the distinct texts. On PostgreSQL the matching keys are found once, as an array (`search_key = any(array(…))`: one index range scan per key for the counts, no join of texts, keys and assignments to plan), and inbox.list asks the counts and the page at once on two pooled connections, so it waits for the slower of the two.",
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
    "Search: each distinct measure text (width-folded) is stored and indexed once (`search_texts`: SQLite FTS5 trigram `search_text_index`, pg_trgm on PostgreSQL) and each assignment carries its measure's search key (number and text; kept by triggers), so the inbox's search reads the department's index entries of the matching keys only; queries of 1–2 characters, which trigrams cannot match, scan the distinct texts (not the department's inbox, and not a second, bigram, index).",
    "Reads since issue 17: inbox.list is answered with an ETag from the data version and kept in a bounded answer cache. `reads.inbox` repeats one URL, so after the first answer it is sent from the cache (200); `reads.inbox-revalidated` sends the page's tag in If-None-Match (its detail counts the 304 and 200 answers); `reads.inbox-uncached` makes every URL new, so every answer is built as before the cache.",
    "The answer cache on PostgreSQL (issue 17, several instances): each instance keys its kept answers and ETags on its own data version, the count of commit notifications its LISTEN connection has heard (every unit of work that wrote sends one inside its commit: a live change with its id, or a bare commit notice), with a random id of the instance and of its LISTEN generation; reading it costs no query. The promise: once the notification of a write committed through any instance has been delivered to instance A, A never again serves an answer it kept, nor a 304 for a tag it gave, from before that write. Between B's answer to the writer and that delivery (normally well under a few milliseconds) A may still serve the page from before; a client asking the instance it wrote through never gets it (each instance also counts its own mutations as they start and as they answer). While A's LISTEN connection is down (noticed when it errs or ends, and when it leaves a `select 1` heartbeat unanswered for 5 s, so a silent loss within 10 s) A serves nothing kept and no 304, building every answer; once it listens again it reads the live ids' watermark under their lock and starts a new generation, so nothing kept before is served. Not heard, so not covered: writes outside a unit of work (a session's last-seen touch while it is resolved, on which no kept answer depends) and changes made in the database by hand (psql): restart the instances after those. Tags are per instance: a tag sent to another instance gets that instance's 200. Cost: one statement more in each unit of work that announces no change; such a commit now takes PostgreSQL's notification lock through its commit, as audited units of work already take turns on the chain head, so writes that record no audit event (inbox.markRead, sign-in) commit one at a time too; and any write empties every instance's cache.",
    `HTTP figures: the load generator (autocannon, in the benchmark's process) and the server share the machine's ${context.cores} cores, so each rate is the server's share of a machine that is also generating the load; the ratios compare like with like.`,
  );
  return notes;
}

/** How SQLite's writes are committed and synced (a SQLite run's notes only). */
const sqliteWritesNote =
  "Writes on SQLite since issue 17's second round (the write figures above): units of work asked for in the same turn of the event loop share one transaction, each in its savepoint (GROUP_COMMIT), and the batch's COMMIT is made at synchronous = NORMAL with the WAL's fdatasync run on libuv's thread pool (GROUP_COMMIT_SYNC=background, packages/db/src/store/sqlite/wal-sync.ts), so requests are read and run while a commit syncs and join the next batch. Durability is that of synchronous = FULL for everything anyone is shown: a unit of work's promise settles and its live events are announced only after the sync that covers its commit, and every HTTP answer waits until everything committed before it is on disk (app.ts's onSend: nothing to wait for without a write in flight), so no page shows a change a power cut could take back. Every other commit on the connection stays at FULL. A failed sync fails the batch's answers and every later write, as PostgreSQL does after a failed fsync. Round 9 also gave tRPC's fetch Request no abort signal except for subscriptions (undici follows a given signal through a WeakRef and a FinalizationRegistry, whose targets survive young-generation collections) and ran the procedures' common checks in two middlewares instead of five (each copies the call's options twice). GROUP_COMMIT_SYNC=commit restores the COMMIT that syncs in place.";

/**
 * The figures issue 17 set targets on, as `pnpm bench` measured them when it was filed (SQLite at 1,000,000
 * assignments, commit 4dbf74a, 27 Nov 2026: docs/performance.md at 3c7410a, 17 of 22 targets met). PostgreSQL had
 * no run then.
 */
export const beforeIssue17: ReadonlyArray<{ id: string; label: string; before: number; unit: string; digits: number }> = [
  { id: "reads.ratio-constant", label: "inbox.list ÷ constant tRPC query", before: 0.35, unit: "", digits: 2 },
  { id: "reads.inbox-p99", label: "inbox.list p99", before: 23, unit: "ms", digits: 1 },
  { id: "writes.ratio", label: "writes over HTTP ÷ raw loop", before: 0.27, unit: "", digits: 2 },
  { id: "queries.inbox-search", label: "search p95 (worst)", before: 251.35, unit: "ms", digits: 2 },
  { id: "exports.large-pdf", label: "500 × 60 PDF", before: 2678, unit: "ms", digits: 0 },
  { id: "memory.peak-rss", label: "server peak RSS", before: 263, unit: "MiB", digits: 0 },
];

/** "Issue 17, before → now: …" from a SQLite run's figures (only those the run has). */
export function issue17Note(value: Lookup): string | null {
  const fmt = (n: number, digits: number): string => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const parts: string[] = [];
  for (const row of beforeIssue17) {
    const now = value(row.id);
    if (now === undefined) continue;
    const unit = row.unit === "" ? "" : ` ${row.unit}`;
    parts.push(`${row.label} ${fmt(row.before, row.digits)}${unit} → ${fmt(now, row.digits)}${unit}`);
  }
  if (parts.length === 0) return null;
  return `Issue 17, from the run it was filed on (4dbf74a, 27 Nov 2026, 17 of 22 targets; docs/performance.md at 3c7410a) to this one: ${parts.join("; ")}. Every other figure's previous value is in the table's "before" column (the run before this one).`;
}

export function notesFor(figures: readonly Figure[], context: { smoke: boolean; cores: number; engine?: "sqlite" | "postgres" }): string[] {
  const notes = standing(context);
  const value: Lookup = (id) => figures.find((f) => f.id === id)?.value;
  if (context.engine !== "postgres") notes.push(sqliteWritesNote);
  if (context.engine !== "postgres" && !context.smoke) {
    const issue17 = issue17Note(value);
    if (issue17 !== null) notes.push(issue17);
  }
  for (const f of figures) {
    if (met(f) !== false) continue;
    const entry = whyMissed[f.id];
    const why = typeof entry === "function" ? entry(value) : entry;
    notes.push(`**${f.name}** misses its target${why === undefined ? "." : `: ${why}`}`);
  }
  return notes;
}
