/**
 * 12. Graceful shutdown. The real server on a database file, SIGTERM while slow requests are in flight (three PDF
 * and spreadsheet exports, the first of which also starts the PDF renderer) and several clients keep writing
 * (comments, each with a token), with a live stream (server-sent events) open:
 * - every export the server had received before the signal (its request log names them) gets its whole file (200,
 *   the bytes its Content-Length says, a PDF or a workbook), though it finished after the signal;
 * - every write sent before the signal gets an answer: acknowledged, or refused with 503 `shutting_down` (the
 *   request reached the server after the drain began; nothing ran); none is cut off;
 * - `/ready` on an open connection answers 503 `shutting_down` at once, and a new connection is refused while the
 *   exports are still running;
 * - the live stream ends cleanly, without tRPC's `return` event (a browser's EventSource reconnects elsewhere);
 * - the process exits 0, and afterwards every acknowledged write is in the database exactly once and no refused one
 *   is; `PRAGMA integrity_check` is ok (SQLite) and the audit chain verifies.
 * On both engines (issue 13): on PostgreSQL the writes are judged with SQL beside the server, and the pool is closed
 * after the drain.
 */
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { liaisonOf, signedIn } from "./support/client.js";
import type { Answer, Browser } from "./support/client.js";
import { recordFigures } from "./support/figures.js";
import { areaSuffix, databaseOn, engines } from "./support/engines.js";
import type { EngineDatabase } from "./support/engines.js";
import { issueDrillPlan, measuresOf } from "./support/fixture.js";
import type { StartedServer } from "./support/server.js";

describe.each(engines)("on %s", (engine) => {
  let server: StartedServer;
  let database: EngineDatabase;

  beforeAll(async () => {
    database = await databaseOn(engine, "shutdown");
    // LOG_REQUESTS=1: the log says when each request has reached the server.
    server = await database.start({ env: { SHUTDOWN_DRAIN_SECONDS: "60", LOG_REQUESTS: "1" } });
  });
  afterAll(async () => {
    await server.kill();
    await database.drop();
  });

  interface SentWrite {
    token: string;
    sentAt: number;
    answer: Answer | null;
    /** The error of a request that got no HTTP answer, with its cause (e.g. "fetch failed: other side closed"). */
    failure: string | null;
    /**
     * The request's connection was refused (ECONNREFUSED): the client's fetch opened a new connection just as the
     * listener closed, so the server never received it, exactly like the new connection the test expects refused.
     * Nothing was written and the client knows it was not delivered; it is not a request cut off in flight.
     */
    refusedAtConnect: boolean;
  }

  interface ExportResult {
    path: string;
    sentAt: number;
    answeredAt: number;
    status: number;
    bytes: number;
    declared: number;
    head: string;
  }

  /** GET on a connection of its own (no pool): resolves the status, or rejects with the socket's error code. */
  function freshConnection(url: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const request = http.get(url, { agent: false }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on("error", (error: NodeJS.ErrnoException) => reject(new Error(error.code ?? error.message)));
    });
  }

  /** GET through `agent` (one kept-alive socket), with the JSON body. */
  function getJson(agent: http.Agent, url: string): Promise<{ status: number; body: Record<string, unknown> }> {
    return new Promise((resolve, reject) => {
      const request = http.get(url, { agent }, (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          text += chunk;
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
      });
      request.on("error", reject);
    });
  }

  /** Waits (polling every 10 ms, at most 30 s) until `done` holds. */
  async function until(done: () => boolean, what: string): Promise<void> {
    const started = performance.now();
    while (!done()) {
      if (performance.now() - started > 30_000) throw new Error(`timed out waiting until ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async function exportFile(browser: Browser, path: string): Promise<ExportResult> {
    const sentAt = performance.now();
    let response: Response;
    let body: Buffer;
    try {
      response = await browser.fetch(path);
      body = Buffer.from(await response.arrayBuffer());
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
      return { path, sentAt, answeredAt: performance.now(), status: -1, bytes: 0, declared: 0, head: `${String(error)}${cause}` };
    }
    return {
      path,
      sentAt,
      answeredAt: performance.now(),
      status: response.status,
      bytes: body.length,
      declared: Number(response.headers.get("content-length") ?? -1),
      head: body.subarray(0, 4).toString("latin1"),
    };
  }

  describe("graceful shutdown", () => {
    it("on SIGTERM finishes every request sent before it, refuses new connections, ends live streams and exits 0", async () => {
      const miit = await signedIn(server.url, "miit");
      const planId = await issueDrillPlan(server.url, miit);
      const measures = await measuresOf(miit, planId);
      const byDepartment = new Map<string, number[]>();
      for (const a of measures.flatMap((m) => m.assignments)) byDepartment.set(a.department, [...(byDepartment.get(a.department) ?? []), a.id]);
      // Each writer comments on its own department's assignments, so it knows their versions (no conflicts).
      const versions = new Map(measures.flatMap((m) => m.assignments).map((a) => [a.id, a.version]));
      // Signed in one at a time: sign-ins at once from one address count as failures until each succeeds, and on
      // PostgreSQL (slower commits) five at once pass the address's free failures (the limiter's design).
      const writers: Array<{ browser: Browser; ids: number[] }> = [];
      for (const [department, ids] of [...byDepartment.entries()].slice(0, 5)) writers.push({ browser: await signedIn(server.url, liaisonOf(department)), ids });
      const mof = await signedIn(server.url, "mof");

      // A live stream, read as a browser's EventSource would.
      const stream = await miit.fetch(`/trpc/live.changes?input=${encodeURIComponent(JSON.stringify({}))}`, { headers: { accept: "text/event-stream" } });
      expect(stream.status).toBe(200);
      const reader = stream.body?.getReader();
      if (reader === undefined) throw new Error("no stream body");
      let streamText = "";
      const streamEnded = (async () => {
        const decoder = new TextDecoder();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return "ended";
          streamText += decoder.decode(value, { stream: true });
        }
      })().catch((error: unknown) => `failed: ${String(error)}`);

      // /ready on one kept-alive socket, answered before the signal and asked again after it.
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      expect((await getJson(agent, `${server.url}/ready`)).status).toBe(200);

      // Writers: each client comments in a loop until the server refuses or goes away.
      const sent: SentWrite[] = [];
      let signalAt = Number.POSITIVE_INFINITY;
      let counter = 0;
      const write = async (writer: { browser: Browser; ids: number[] }, w: number): Promise<void> => {
        for (;;) {
          const id = writer.ids[counter % writer.ids.length] ?? 0;
          const token = `shutdown-w${w}-n${counter++}`;
          const entry: SentWrite = { token, sentAt: performance.now(), answer: null, failure: null, refusedAtConnect: false };
          sent.push(entry);
          try {
            entry.answer = await writer.browser.mutate("assignment.comment", { id, expectedVersion: versions.get(id) ?? 1, body: `${token} 进展 ✓` });
          } catch (error) {
            const cause = error instanceof Error && error.cause instanceof Error ? error.cause : null;
            entry.failure = `${String(error)}${cause === null ? "" : `: ${cause.message}`}`;
            entry.refusedAtConnect = cause !== null && /ECONNREFUSED/.test(`${cause.message} ${String((cause as { code?: unknown }).code)}`);
            return;
          }
          if (entry.answer.ok) versions.set(id, (entry.answer.data as { version: number }).version);
          else return;
        }
      };
      const writing = writers.map((writer, w) => write(writer, w));

      // Slow requests: the first PDF also starts the renderer's browser.
      const exporting = Promise.all([
        exportFile(miit, `/export/matrix.pdf?plan=${planId}`),
        exportFile(mof, `/export/progress.pdf?plan=${planId}`),
        exportFile(miit, `/export/division.xlsx?plan=${planId}`),
      ]);
      // The signal comes once the server has received the three exports (its log names them), and they run on.
      const exportPaths = ["/export/matrix.pdf", "/export/progress.pdf", "/export/division.xlsx"];
      await until(() => exportPaths.every((p) => server.output().includes(`"url":"${p}`)), "the exports reached the server");
      await new Promise((resolve) => setTimeout(resolve, 100));

      signalAt = performance.now();
      process.kill(server.pid, "SIGTERM");
      // Once the server has taken the signal (it says so), /ready is asked on the open socket and a new connection tried.
      await until(() => server.output().includes("SIGTERM: shutting down"), "the server took the signal");
      const readyDuringDrain = await getJson(agent, `${server.url}/ready`).catch((error: unknown) => ({ status: -1, body: { error: String(error) } }));
      const newConnection = await freshConnection(`${server.url}/health`).then(
        (status) => `answered ${status}`,
        (error: Error) => error.message,
      );
      const newConnectionAt = performance.now();

      const exports = await exporting;
      await Promise.all(writing);
      const code = await server.exited;
      const streamOutcome = await streamEnded;
      agent.destroy();

      // Judge the writes against the file.
      const look = database.look();
      const counts = new Map<string, number>();
      for (const row of await look.rows<{ body: string }>("select body from comments where body like ?", ["shutdown-%"])) {
        const token = row.body.split(" ")[0] ?? "";
        counts.set(token, (counts.get(token) ?? 0) + 1);
      }
      await look.close();
      const copies = (token: string): number => counts.get(token) ?? 0;
      const beforeSignal = sent.filter((s) => s.sentAt < signalAt);
      const acknowledged = sent.filter((s) => s.answer?.ok === true);
      const refusedDraining = sent.filter((s) => s.answer !== null && !s.answer.ok && s.answer.error?.refusalCode === "shutting_down");
      const otherRefusals = sent.filter((s) => s.answer !== null && !s.answer.ok && s.answer.error?.refusalCode !== "shutting_down");
      const refusedAtConnect = beforeSignal.filter((s) => s.answer === null && s.refusedAtConnect);
      const cutOff = beforeSignal.filter((s) => s.answer === null && !s.refusedAtConnect);
      const lost = acknowledged.filter((s) => copies(s.token) !== 1);
      // A refused write left nothing, whether refused while draining or at connect.
      const refusedButPresent = [...refusedDraining, ...refusedAtConnect].filter((s) => copies(s.token) !== 0);
      const integrity = database.integrityCheck();
      const verify = await database.cli(["audit", "verify"]);

      const exportsWhole = exports.filter(
        (e) => e.status === 200 && e.bytes > 0 && e.bytes === e.declared && (e.path.includes(".pdf") ? e.head === "%PDF" : e.head.startsWith("PK")),
      );
      const exportsAfterSignal = exports.filter((e) => e.answeredAt > signalAt);
      const failures =
        (code === 0 ? 0 : 1) +
        (exports.length - exportsWhole.length) +
        cutOff.length +
        otherRefusals.length +
        lost.length +
        refusedButPresent.length +
        (integrity === null || integrity === "ok" ? 0 : 1) +
        (verify.code === 0 ? 0 : 1);
      recordFigures({
        area: `12 graceful shutdown${areaSuffix(engine)}`,
        figure: "writes acknowledged / refused while draining / cut off / lost",
        values: [acknowledged.length, refusedDraining.length, cutOff.length, lost.length],
        failures,
        detail:
          `${exports.length} exports sent before SIGTERM, ${exportsWhole.length} whole, ${exportsAfterSignal.length} answered after it; ` +
          `${beforeSignal.length} writes sent before the signal (${refusedAtConnect.length} of them on a connection the closed listener refused); /ready while draining ${readyDuringDrain.status}; new connection: ${newConnection}; ` +
          `live stream ${streamOutcome}; exit ${code}`,
      });

      expect(code, server.output().slice(-2000)).toBe(0);
      expect(exports.map((e) => ({ path: e.path, status: e.status, whole: exportsWhole.includes(e) })), `${JSON.stringify(exports)}\n${server.output().slice(-3000)}`).toEqual(
        exports.map((e) => ({ path: e.path, status: 200, whole: true })),
      );
      // The test means something only if the exports were still running when the signal came.
      expect(exportsAfterSignal.length, "an export still in flight at the signal").toBeGreaterThan(0);
      expect(newConnectionAt, "the new connection was tried while an export was running").toBeLessThan(Math.max(...exports.map((e) => e.answeredAt)));
      expect(newConnection).toBe("ECONNREFUSED");
      expect(readyDuringDrain).toMatchObject({ status: 503, body: { status: "not_ready", reason: "shutting_down" } });
      expect(cutOff.map((s) => s.failure)).toEqual([]);
      expect(otherRefusals.map((s) => s.answer?.ok === false && s.answer.message)).toEqual([]);
      expect(acknowledged.length).toBeGreaterThan(0);
      expect(lost.map((s) => s.token)).toEqual([]);
      expect(refusedButPresent.map((s) => s.token)).toEqual([]);
      if (engine === "sqlite") expect(integrity).toBe("ok");
      expect(verify.code, verify.stdout + verify.stderr).toBe(0);
      expect(streamOutcome).toBe("ended");
      expect(streamText).toContain("event: connected");
      expect(streamText).not.toContain("event: return");
      expect(server.output()).toMatch(/SIGTERM: closed after \d+ ms \(every request finished/);
    });
  });
});
