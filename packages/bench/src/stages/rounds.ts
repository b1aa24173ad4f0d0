import { join } from "node:path";
import { openDatabase } from "@countersign/db";
import { closePdfRenderer, renderRoundDocx, renderRoundPdf } from "@countersign/exports";
import type { Language } from "@countersign/domain";
import type { CompiledRound } from "@countersign/exports";
import { compileBenchRound, compileBenchRoundOn, createBenchCaller, createStoreBenchCaller, seedBenchRound } from "@countersign/server/bench-support";
import { ownPostgresDatabase } from "../harness/own-postgres-database.js";
import { median, summarize } from "../harness/stats.js";
import { queryPath } from "../harness/trpc-http.js";
import type { Figure } from "../report.js";

/*
 * Evidence and reporting rounds (issue 14):
 * - uploads: 1 MiB PDF files sent one after another as a liaison's comment with a file (POST /attachments/comment/:id,
 *   multipart, stored in the database in the act's own transaction), over HTTP against the running server;
 * - the round grid of a round of 3,000 departments × 25 measures (75,000 reports), in process: what the round page
 *   reads (round.header: the statistics counted in the database and the filters' choices; round.reports: the first
 *   page of 50), and, for comparison, round.get of the whole round at once;
 * - the compiled report of 25 measures × 17 departments (425 submitted reports), compiled and rendered as DOCX and as
 *   PDF in process (the work of GET /export/round/:id.docx|pdf), target ≤ 3 s each.
 * The rounds are made in a database of their own through the services (seedBenchRound), not in the large one; on
 * PostgreSQL that file is copied into a database of the stage's own on the run's server, measured there and dropped.
 */

const mib = 1024 * 1024;

/** A file of `bytes` bytes whose content is a PDF (its magic bytes and trailer), as the type check reads it. */
export function pdfOfSize(bytes: number): Buffer {
  const head = Buffer.from("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "latin1");
  const tail = Buffer.from("\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n", "latin1");
  const body = Buffer.alloc(Math.max(0, bytes - head.length - tail.length), 0x20);
  for (let i = 0; i < body.length; i += 64) body[i] = 0x0a;
  return Buffer.concat([head, body, tail]);
}

interface InboxRow {
  id: number;
  version: number;
  status: string;
}

export async function benchUploads(input: { baseUrl: string; cookie: string; department: string; uploads: number; log: (line: string) => void }): Promise<Figure[]> {
  const { baseUrl, cookie, log } = input;
  const page = await fetch(baseUrl + queryPath("inbox.list", { department: input.department, limit: 50 }), { headers: { cookie } });
  const listed = (await page.json()) as { result?: { data?: { rows?: InboxRow[] } } };
  const target = listed.result?.data?.rows?.find((r) => r.status !== "withdrawn");
  if (target === undefined) throw new Error(`uploads: ${input.department} has no assignment to comment on`);
  const file = pdfOfSize(mib);
  let version = target.version;
  const times: number[] = [];
  log(`uploads: ${input.uploads} × 1 MiB PDF as a comment's file on assignment ${target.id}`);
  for (let i = 0; i < input.uploads; i += 1) {
    const form = new FormData();
    form.set("expectedVersion", String(version));
    form.set("body", `Evidence ${i + 1} (benchmark).`);
    form.append("file", new Blob([file], { type: "application/pdf" }), `evidence-${i + 1}.pdf`);
    const started = performance.now();
    const res = await fetch(`${baseUrl}/attachments/comment/${target.id}`, { method: "POST", headers: { cookie, "X-Countersign-Upload": "1" }, body: form });
    const text = await res.text();
    times.push(performance.now() - started);
    if (res.status !== 200) throw new Error(`upload ${i + 1} answered ${res.status}: ${text.slice(0, 300)}`);
    const result = (JSON.parse(text) as { result: { version: number; attachmentIds: number[] } }).result;
    if (result.attachmentIds.length !== 1) throw new Error(`upload ${i + 1} stored ${result.attachmentIds.length} files`);
    version = result.version;
  }
  const total = times.reduce((a, b) => a + b, 0);
  return [
    {
      id: "rounds.upload-1mib",
      section: "rounds",
      name: "upload of 1 MiB PDF files, one after another (POST /attachments/comment, stored in the act's transaction)",
      value: (input.uploads * file.length) / mib / (total / 1000),
      unit: "MiB/s",
      digits: 1,
      detail: `${input.uploads} uploads; per upload median ${median(times).toFixed(0)} ms, p95 ${summarize(times).p95.toFixed(0)} ms`,
    },
  ];
}

/** Where the stage's procedures run: the coordinator's caller, the compiled report, and what to close after. */
interface RoundsTarget {
  callerFor(username: string): Promise<BenchCaller>;
  compile(username: string, roundId: number, lang: Language, now: Date): Promise<CompiledRound>;
  close(): Promise<void>;
}

type BenchCaller = ReturnType<typeof createBenchCaller>;

/**
 * The round grid and the compiled report. Both rounds are made through the services in a SQLite file of the stage's
 * own (seedBenchRound); with `postgresUrl` the file is then copied into a database of its own on that server
 * (`copyFromSqlite`) and dropped after, so that the same procedures (round.header, round.reports, round.get, the
 * compiled report) are measured in process on either engine through the store seam. Times in ms (grid) and s
 * (compiled documents, target ≤ 3 s); the figures' names say the engine.
 */
export async function benchRounds(input: {
  workDir: string;
  gridDepartments: number;
  measures: number;
  runs: number;
  log: (line: string) => void;
  /** A PostgreSQL server's URL (an account that may create databases): run there instead of on SQLite. */
  postgresUrl?: string | null;
}): Promise<Figure[]> {
  const { log } = input;
  const runs = Math.max(2, input.runs);
  const postgresUrl = input.postgresUrl ?? null;
  const engine = postgresUrl === null ? "SQLite" : "PostgreSQL";
  const sqlitePath = join(input.workDir, postgresUrl === null ? "rounds.sqlite" : "rounds-postgres.sqlite");
  const opened = openDatabase(sqlitePath);
  const now = new Date();
  let target: RoundsTarget = {
    callerFor: async (username) => createBenchCaller(opened.db, username, () => now),
    compile: (username, roundId, lang, at) => compileBenchRound(opened.db, username, roundId, lang, at),
    close: async () => opened.close(),
  };
  const figures: Figure[] = [];
  try {
    const db = opened.db;
    log(`rounds: opening a round of ${input.gridDepartments.toLocaleString("en-US")} departments × ${input.measures} measures through the services`);
    let started = performance.now();
    const grid = await seedBenchRound(db, { departments: input.gridDepartments, measures: input.measures, now, submit: false });
    const setupSeconds = (performance.now() - started) / 1000;
    log("rounds: a round of 25 measures × 17 departments to compile, every report submitted");
    const compiled = await seedBenchRound(db, { departments: 17, measures: 25, now, submit: true });
    let copied = "";
    if (postgresUrl !== null) {
      opened.close();
      const own = await ownPostgresDatabase(postgresUrl, sqlitePath, "rounds", log);
      copied = `; copied into PostgreSQL in ${own.copySeconds.toFixed(1)} s`;
      target = {
        callerFor: (username) => createStoreBenchCaller(own.store, username, { now: () => now }),
        compile: (username, roundId, lang, at) => compileBenchRoundOn(own.store, username, roundId, lang, at),
        close: () => own.close(),
      };
    }
    const coordinator = await target.callerFor(grid.coordinator);
    const size = `${input.gridDepartments.toLocaleString("en-US")} departments × ${input.measures} measures (${grid.reports.toLocaleString("en-US")} reports)`;
    /** The median time of `runs` calls after one warm-up, and the size of the answer's JSON. */
    const measure = async (call: () => Promise<unknown>, check: (value: unknown) => void): Promise<{ ms: number[]; bytes: number }> => {
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < runs + 1; i += 1) {
        started = performance.now();
        const value = await call();
        const elapsed = performance.now() - started;
        check(value);
        if (i > 0) times.push(elapsed);
        bytes = JSON.stringify(value).length;
      }
      return { ms: times, bytes };
    };
    const sizeText = (bytes: number) => (bytes >= mib ? `${(bytes / mib).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`);
    const header = await measure(
      () => coordinator.round.header({ roundId: grid.roundId }),
      (value) => {
        const total = (value as { statistics: { total: number } }).statistics.total;
        if (total !== grid.reports) throw new Error(`round.header counted ${total} reports, not ${grid.reports}`);
      },
    );
    figures.push({
      id: "rounds.grid-header",
      section: "rounds",
      name: `round.header (statistics counted in the database, filter choices) of a round of ${size}, in process on ${engine}`,
      value: median(header.ms),
      unit: "ms",
      digits: 1,
      detail: `median of ${header.ms.length} after one warm-up; ${sizeText(header.bytes)} of JSON; setup through the services ${setupSeconds.toFixed(1)} s${copied}`,
    });
    const firstPage = await measure(
      () => coordinator.round.reports({ roundId: grid.roundId, limit: 50 }),
      (value) => {
        const page = value as { reports: unknown[]; nextCursor: string | null };
        if (page.reports.length !== Math.min(50, grid.reports) || page.nextCursor === null) throw new Error("round.reports gave no full first page");
      },
    );
    figures.push({
      id: "rounds.grid-page",
      section: "rounds",
      name: `round.reports, the first page of 50 (and the count of all) of a round of ${size}, in process on ${engine}`,
      value: median(firstPage.ms),
      unit: "ms",
      digits: 1,
      detail: `median of ${firstPage.ms.length} after one warm-up; ${sizeText(firstPage.bytes)} of JSON`,
    });
    const whole = await measure(
      () => coordinator.round.get({ roundId: grid.roundId }),
      (value) => {
        const n = (value as { reports: unknown[] }).reports.length;
        if (n !== grid.reports) throw new Error(`round.get gave ${n} reports, not ${grid.reports}`);
      },
    );
    figures.push({
      id: "rounds.grid",
      section: "rounds",
      name: `round.get of a round of ${size} (the whole round at once, as the page read it before paging), in process on ${engine}`,
      value: median(whole.ms),
      unit: "ms",
      digits: 0,
      detail: `median of ${whole.ms.length} after one warm-up; ${sizeText(whole.bytes)} of JSON`,
    });

    log(`rounds: compiling a round of 25 measures × 17 departments on ${engine}`);
    for (const format of ["docx", "pdf"] as const) {
      const renders: number[] = [];
      let size = 0;
      for (let i = 0; i < runs; i += 1) {
        started = performance.now();
        const report = await target.compile(compiled.coordinator, compiled.roundId, "zh", now);
        const included = report.sections.reduce((n, section) => n + section.measures.reduce((m, measure) => m + measure.reports.length, 0), 0);
        if (included !== compiled.reports) throw new Error(`the compiled report has ${included} reports, not ${compiled.reports}`);
        const body = format === "pdf" ? await renderRoundPdf(report, "zh") : await renderRoundDocx(report, "zh");
        renders.push(performance.now() - started);
        size = body.length;
      }
      const [first, ...later] = renders;
      figures.push({
        id: `rounds.compiled-${format}`,
        section: "rounds",
        name: `compiled report of 25 measures × 17 departments (${compiled.reports} reports, with its chart), ${format.toUpperCase()}, in process on ${engine}`,
        value: median(later) / 1000,
        unit: "s",
        digits: 2,
        target: { op: "≤", value: 3 },
        detail: `median of ${later.length} on a warm browser (first ${Math.round(first ?? 0)} ms); ${Math.round(size / 1024)} KB`,
      });
    }
  } finally {
    await target.close();
    await closePdfRenderer();
  }
  return figures;
}
