/**
 * Evidence files through a crash (issue 14, point 1): the real server on a database file, several clients uploading
 * files with assignment acts (comments and progress reports, one to three files of up to 1.5 MiB each), SIGKILL at
 * a random moment, restart, and a check against what the clients were told:
 * - every acknowledged upload is there: each file downloads through the API with its bytes and SHA-256, and the
 *   act's audit event names that hash;
 * - no half-file is visible: every attachment the API lists downloads whole (its size and hash those recorded), every
 *   row has its bytes and no bytes are without a row; an upload without an answer is there whole or not at all;
 * - `PRAGMA integrity_check` is ok (SQLite) and the audit chain verifies (`cli audit verify`).
 * On both engines (issue 13): on PostgreSQL the files are judged with SQL beside the server (bytea), and the judge's
 * own control cuts a file in the database itself once its figures are taken.
 */
import { createHash, randomBytes } from "node:crypto";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dataOf, liaisonOf, signedIn } from "./support/client.js";
import type { Browser } from "./support/client.js";
import { recordFigures } from "./support/figures.js";
import { areaSuffix, databaseOn, engines, lookAt } from "./support/engines.js";
import type { EngineDatabase } from "./support/engines.js";
import { issueDrillPlan, measuresOf } from "./support/fixture.js";
import type { StartedServer } from "./support/server.js";

const rounds = 5;
const clients = 4;

interface SentFile {
  name: string;
  sha256: string;
  size: number;
}

interface SentUpload {
  token: string;
  assignmentId: number;
  department: string;
  files: SentFile[];
  outcome: "acknowledged" | "refused" | "unanswered";
  attachmentIds: number[];
}

/** A PDF by its header (what the server checks), then bytes of its own: every file has its own hash. */
function pdfOf(token: string, size: number): Buffer {
  const head = Buffer.from(`%PDF-1.4\n% ${token}\n`);
  return Buffer.concat([head, randomBytes(Math.max(0, size - head.length))]);
}

describe.each(engines)("on %s", (engine) => {
  let server: StartedServer;
  let database: EngineDatabase;

  beforeAll(async () => {
    database = await databaseOn(engine, "upload-crash");
    server = await database.start();
  });
  afterAll(async () => {
    await server.kill();
    await database.drop();
  });

  interface FileFigures {
    rowsWithoutBytes: number;
    bytesWithoutRow: number;
    sizeMismatches: number;
    hashMismatches: number;
  }

  /**
   * Reads the database (the SQLite file at `path`, or the PostgreSQL database at `url`): every attachment row has its
   * bytes, whole (size and SHA-256 as recorded), and no bytes lack a row. `integrity` is SQLite's integrity_check,
   * "n/a" on PostgreSQL.
   */
  async function judgeFiles(path: string, url: string | null): Promise<FileFigures & { integrity: string }> {
    const db = lookAt(path, url);
    try {
      const integrity = url === null ? String((await db.row<{ integrity_check: string }>("pragma integrity_check"))?.integrity_check) : "n/a";
      const rows = await db.rows<{ id: number; size: number; sha256: string; bytes: Buffer | null }>(
        "select a.id, a.size_bytes as size, a.sha256, b.bytes from attachments a left join attachment_blobs b on b.attachment_id = a.id",
      );
      const figures: FileFigures = { rowsWithoutBytes: 0, bytesWithoutRow: 0, sizeMismatches: 0, hashMismatches: 0 };
      for (const r of rows) {
        if (r.bytes === null) {
          figures.rowsWithoutBytes++;
          continue;
        }
        if (r.bytes.length !== r.size) figures.sizeMismatches++;
        if (createHash("sha256").update(r.bytes).digest("hex") !== r.sha256) figures.hashMismatches++;
      }
      figures.bytesWithoutRow =
        (await db.row<{ n: number }>("select count(*) as n from attachment_blobs b where not exists (select 1 from attachments a where a.id = b.attachment_id)"))?.n ?? -1;
      return { ...figures, integrity };
    } finally {
      await db.close();
    }
  }

  describe("uploads through a crash", () => {
    it(`keeps every acknowledged file whole over ${rounds} SIGKILLs during concurrent uploads`, async () => {
      const miit = await signedIn(server.url, "miit");
      const planId = await issueDrillPlan(server.url, miit);
      const all = (await measuresOf(miit, planId)).flatMap((m) => m.assignments);
      const perDepartment = new Map<string, number[]>();
      for (const a of all) perDepartment.set(a.department, [...(perDepartment.get(a.department) ?? []), a.id]);
      const chosen = [...perDepartment.entries()].sort((a, b) => b[1].length - a[1].length).slice(0, clients);

      // Each client is one department's liaison acting on its own assignments, accepted first (setup).
      const versions = new Map<number, number>();
      const workers: Array<{ browser: Browser; department: string; targets: number[] }> = [];
      for (const [department, ids] of chosen) {
        const liaison = await signedIn(server.url, liaisonOf(department));
        for (const id of ids) {
          const a = all.find((x) => x.id === id);
          if (a === undefined) continue;
          const accepted = dataOf<{ version: number }>(await liaison.mutate("assignment.accept", { id, expectedVersion: a.version }));
          versions.set(id, accepted.version);
        }
        workers.push({ browser: liaison, department, targets: ids });
      }

      const sent: SentUpload[] = [];
      let counter = 0;
      for (let round = 1; round <= rounds; round++) {
        let stopping = false;
        const loop = async (worker: (typeof workers)[number], w: number): Promise<void> => {
          while (!stopping) {
            const id = worker.targets[Math.floor(Math.random() * worker.targets.length)] ?? 0;
            const token = `upload-r${round}-w${w}-n${counter++}`;
            const files = Array.from({ length: 1 + Math.floor(Math.random() * 3) }, (_, i) => {
              const bytes = pdfOf(`${token}-f${i}`, 64 * 1024 + Math.floor(Math.random() * 1.5 * 1024 * 1024));
              return { name: `${token}-f${i}.pdf`, bytes };
            });
            const upload: SentUpload = {
              token,
              assignmentId: id,
              department: worker.department,
              files: files.map((f) => ({ name: f.name, sha256: createHash("sha256").update(f.bytes).digest("hex"), size: f.bytes.length })),
              outcome: "unanswered",
              attachmentIds: [],
            };
            sent.push(upload);
            const form = new FormData();
            const progress = Math.random() < 0.5;
            form.set("action", progress ? "reportProgress" : "comment");
            form.set("expectedVersion", String(versions.get(id) ?? 1));
            form.set(progress ? "note" : "body", `${token} 佐证材料`);
            for (const f of files) form.append("file", new Blob([f.bytes], { type: "application/pdf" }), f.name);
            let response: Response;
            let body: { result?: { assignment: { version: number }; attachmentIds: number[] }; error?: { data?: { current?: { version: number } | null } } };
            try {
              response = await worker.browser.fetch(`/attachments/assignment/${id}`, { method: "POST", headers: { "X-Countersign-Upload": "1" }, body: form });
              body = (await response.json()) as typeof body;
            } catch {
              return; // the connection died with the server: no answer
            }
            if (response.ok && body.result !== undefined) {
              upload.outcome = "acknowledged";
              upload.attachmentIds = body.result.attachmentIds;
              versions.set(id, body.result.assignment.version);
            } else {
              upload.outcome = "refused";
              const current = body.error?.data?.current?.version;
              if (current !== undefined) versions.set(id, current);
              if (response.status >= 500) return;
            }
          }
        };
        const loops = workers.map((worker, w) => loop(worker, w));
        const acknowledgedBefore = sent.filter((u) => u.outcome === "acknowledged").length;
        await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 1200));
        // And at least two acknowledged uploads in the round (PostgreSQL commits fewer per second on a loaded
        // machine): every kill comes after acknowledged files, with more in flight.
        for (let waited = 0; sent.filter((u) => u.outcome === "acknowledged").length < acknowledgedBefore + 2 && waited < 15_000; waited += 20) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        stopping = true;
        await server.kill();
        await Promise.all(loops);
        server = await database.start();
        for (const b of [miit, ...workers.map((w) => w.browser)]) b.rebase(server.url);
        // Versions moved by acts whose answers were lost: read them again.
        for (const a of (await measuresOf(miit, planId)).flatMap((m) => m.assignments)) if (versions.has(a.id)) versions.set(a.id, a.version);
      }

      // Judge over the API: each acknowledged file downloads whole, its hash named by the act's event.
      const acknowledged = sent.filter((u) => u.outcome === "acknowledged");
      const unanswered = sent.filter((u) => u.outcome === "unanswered");
      let found = 0;
      let lost = 0;
      const worker = new Map(workers.map((w) => [w.department, w.browser]));
      for (const u of acknowledged) {
        const browser = worker.get(u.department) ?? miit;
        for (const [i, f] of u.files.entries()) {
          const id = u.attachmentIds[i];
          const got = id === undefined ? null : await browser.fetch(`/attachments/${id}`);
          const bytes = got === null || !got.ok ? null : Buffer.from(await got.arrayBuffer());
          if (bytes !== null && bytes.length === f.size && createHash("sha256").update(bytes).digest("hex") === f.sha256) found++;
          else lost++;
        }
      }
      const db = database.look();
      const eventPayloads = (await db.rows<{ payload: string }>("select payload from audit_events where payload like '%upload-r%'")).map((r) => r.payload);
      const attachmentNames = new Set((await db.rows<{ name: string }>("select name from attachments")).map((r) => r.name));
      await db.close();
      const named = (sha: string) => eventPayloads.some((p) => p.includes(sha));
      const unnamed = acknowledged.flatMap((u) => u.files).filter((f) => !named(f.sha256)).length;
      // An upload without an answer: all its files, or none.
      let partial = 0;
      let unansweredCommitted = 0;
      for (const u of unanswered) {
        const present = u.files.filter((f) => attachmentNames.has(f.name)).length;
        if (present === u.files.length) unansweredCommitted++;
        else if (present !== 0) partial++;
      }
      // Every file the API lists for the assignments downloads whole.
      let listed = 0;
      let halfVisible = 0;
      for (const id of workers.flatMap((w) => w.targets)) {
        const files = dataOf<Array<{ id: number; sizeBytes: number; sha256: string }>>(await miit.query("attachment.list", { assignmentId: id }));
        for (const f of files) {
          listed++;
          const got = await miit.fetch(`/attachments/${f.id}`);
          const bytes = got.ok ? Buffer.from(await got.arrayBuffer()) : Buffer.alloc(0);
          if (bytes.length !== f.sizeBytes || createHash("sha256").update(bytes).digest("hex") !== f.sha256) halfVisible++;
        }
      }
      const files = await judgeFiles(database.sqlitePath, database.url);
      const verify = await database.cli(["audit", "verify"]);

      // The judge can fail: a database with one file's bytes cut in half is seen as a half-file (on SQLite a copy of
      // the file; on PostgreSQL the database itself, its figures taken, with the server stopped).
      let control = database.sqlitePath;
      if (database.url === null) {
        control = join(dirname(database.sqlitePath), "control.sqlite");
        const source = new Database(database.sqlitePath, { readonly: true });
        await source.backup(control);
        source.close();
      } else {
        await server.kill();
      }
      const doctored = lookAt(control, database.url, true);
      await doctored.run("update attachment_blobs set bytes = substr(bytes, 1, length(bytes) / 2) where attachment_id = (select max(attachment_id) from attachment_blobs)");
      await doctored.close();
      expect((await judgeFiles(control, database.url)).sizeMismatches).toBe(1);

      const fileCount = acknowledged.reduce((n, u) => n + u.files.length, 0);
      const failures = lost + unnamed + partial + halfVisible + files.rowsWithoutBytes + files.bytesWithoutRow + files.sizeMismatches + files.hashMismatches + (files.integrity === "ok" || files.integrity === "n/a" ? 0 : 1) + (verify.code === 0 ? 0 : 1);
      recordFigures({
        area: `1 uploads through a crash${areaSuffix(engine)}`,
        figure: "acknowledged files / found / lost",
        values: [fileCount, found, lost],
        failures,
        detail:
          `${rounds} SIGKILLs, ${clients} clients, ${sent.length} uploads (${acknowledged.length} acknowledged, ${unanswered.length} unanswered: ` +
          `${unansweredCommitted} committed whole, ${partial} partial); ${listed} listed files, ${halfVisible} not whole; ` +
          `rows without bytes ${files.rowsWithoutBytes}, bytes without row ${files.bytesWithoutRow}, size/hash mismatches ${files.sizeMismatches}/${files.hashMismatches}; ` +
          `hash not in the act's event ${unnamed}; integrity_check ${files.integrity}; cli audit verify: ${verify.stdout.trim().split(" (")[0]}`,
      });
      process.stdout.write(`uploads through a crash (${engine}): ${fileCount} acknowledged files, ${found} found, ${lost} lost; ${listed} listed, ${halfVisible} half-visible\n`);

      expect(acknowledged.length).toBeGreaterThan(rounds);
      expect({ lost, unnamed, partial, halfVisible }).toEqual({ lost: 0, unnamed: 0, partial: 0, halfVisible: 0 });
      expect(found).toBe(fileCount);
      expect(files).toEqual({ rowsWithoutBytes: 0, bytesWithoutRow: 0, sizeMismatches: 0, hashMismatches: 0, integrity: engine === "sqlite" ? "ok" : "n/a" });
      expect(verify.code).toBe(0);
      expect(verify.stdout).toMatch(/^ok, \d+ events/);
    });
  });
});
