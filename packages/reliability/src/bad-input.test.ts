/**
 * 5. Bad input. Generated inputs (fast-check) to every procedure of the router over HTTP, as a coordinator and as a
 * liaison: never a 500 / INTERNAL_SERVER_ERROR, and every refusal says what is wrong. Bodies over the limit get 413.
 * Text in any script (Chinese, Arabic, emoji, combining marks, control characters) is stored and returned exactly,
 * or refused with a message naming the field. On both engines (issue 13).
 */
import { request as httpRequest } from "node:http";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normaliseText } from "@countersign/domain";
import { appRouter } from "@countersign/server/router";
import { dataOf, readAnswer, signedIn } from "./support/client.js";
import type { Answer, Browser } from "./support/client.js";
import { recordFigures } from "./support/figures.js";
import { areaSuffix, databaseOn, engines } from "./support/engines.js";
import type { EngineDatabase } from "./support/engines.js";
import { demoPlanId, issueDrillPlan, measuresOf } from "./support/fixture.js";
import type { TrackedAssignment } from "./support/fixture.js";
import type { StartedServer } from "./support/server.js";

describe.each(engines)("on %s", (engine) => {
  let server: StartedServer;
  let database: EngineDatabase;
  let coordinator: Browser;
  let liaison: Browser;
  let planId: number;
  let mofAssignment: TrackedAssignment;
  /** An assignment of MOF in the drill plan, kept for the text round trips (the generated calls may change the other). */
  let textAssignment: TrackedAssignment;
  let procedures: Array<{ path: string; type: string }>;

  const tally = { inputs: 0, internalErrors: 0, unclear: 0, examples: [] as string[] };

  /** Judges one answer: an internal error, or a refusal that does not say what is wrong, is counted and kept. */
  function judge(what: string, answer: Answer): void {
    tally.inputs++;
    if (answer.ok) return;
    const internal = answer.status >= 500 || answer.error?.code === "INTERNAL_SERVER_ERROR";
    const generic = answer.message.trim() === "" || answer.message === "Internal server error.";
    const fieldless = answer.error?.refusalCode === "invalid_input" && answer.error.field === null;
    if (internal) tally.internalErrors++;
    else if (generic || fieldless) tally.unclear++;
    if ((internal || generic || fieldless) && tally.examples.length < 10) {
      tally.examples.push(`${what} → ${answer.status} ${answer.error?.refusalCode ?? ""} ${answer.message || answer.raw.slice(0, 200)}`);
    }
  }

  beforeAll(async () => {
    database = await databaseOn(engine, "bad-input");
    server = await database.start();
    coordinator = await signedIn(server.url, "miit");
    liaison = await signedIn(server.url, "mof");
    const drillPlan = await issueDrillPlan(server.url, coordinator);
    const drillMof = (await measuresOf(coordinator, drillPlan)).flatMap((m) => m.assignments).find((x) => x.department === "MOF");
    if (drillMof === undefined) throw new Error("MOF has no drill assignment");
    textAssignment = { ...drillMof, version: dataOf<{ version: number }>(await liaison.mutate("assignment.accept", { id: drillMof.id, expectedVersion: drillMof.version })).version };
    planId = await demoPlanId(coordinator);
    const a = (await measuresOf(coordinator, planId)).flatMap((m) => m.assignments).find((x) => x.department === "MOF" && x.status !== "withdrawn");
    if (a === undefined) throw new Error("MOF has no assignment");
    mofAssignment = a;
    procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>).map(([path, p]) => ({ path, type: p._def.type }));
  });
  afterAll(async () => {
    const health = await fetch(`${server.url}/health`);
    await server.stop();
    await database.drop();
    recordFigures({
      area: `5 bad input${areaSuffix(engine)}`,
      figure: "inputs tried / internal errors",
      values: [tally.inputs, tally.internalErrors],
      failures: tally.internalErrors + tally.unclear + (health.status === 200 ? 0 : 1),
      detail: `${procedures.length} procedures × coordinator and liaison, generated JSON, wrong types, edge numbers, broken bodies and query strings, Unicode text round trips, 413 over the body limit; refusals without a clear message ${tally.unclear}; /health after: ${health.status}`,
    });
    process.stdout.write(`bad input (${engine}): inputs tried / internal errors = ${tally.inputs} / ${tally.internalErrors} (unclear refusals ${tally.unclear})\n${tally.examples.map((e) => `  ${e}`).join("\n")}\n`);
  });

  /** A send of an input to a procedure, as its type wants (subscriptions are GETs too, cut after the first bytes). */
  async function call(b: Browser, path: string, type: string, input: unknown): Promise<Answer> {
    if (type === "mutation") return b.mutate(path, input);
    if (type === "query") return b.query(path, input);
    const controller = new AbortController();
    const response = await b.fetch(`/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input) ?? "")}`, {
      headers: { accept: "text/event-stream" },
      signal: controller.signal,
    });
    if (response.headers.get("content-type")?.includes("text/event-stream") === true) {
      const reader = response.body?.getReader();
      const first = reader === undefined ? null : await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), 300))]);
      controller.abort();
      const text = first === null || first.value === undefined ? "" : new TextDecoder().decode(first.value);
      const error = /event: serialized-error\s+data: (.*)/.exec(text)?.[1];
      if (error === undefined) return { status: 200, ok: true, data: null, headers: response.headers };
      const parsed = JSON.parse(error) as { message?: string; data?: { httpStatus?: number; code?: string; refusalCode?: string; field?: string | null } };
      return {
        status: parsed.data?.httpStatus ?? 500,
        ok: false,
        message: parsed.message ?? "",
        error: {
          code: parsed.data?.code ?? "",
          httpStatus: parsed.data?.httpStatus ?? 500,
          refusalCode: parsed.data?.refusalCode ?? "",
          field: parsed.data?.field ?? null,
          current: null,
        },
        raw: text,
        headers: response.headers,
      };
    }
    controller.abort();
    return readAnswer(response);
  }

  /** Strings that break naive code: scripts, direction marks, emoji sequences, controls, lone surrogates, SQL and HTML. */
  const nastyString = fc.oneof(
    fc.string({ unit: "binary", maxLength: 40 }),
    fc.string({ unit: "grapheme", maxLength: 40 }),
    fc.constantFrom(
      "",
      " ",
      "\u0000",
      "\u0000\u0001\u001f\u007f",
      "关于健全支持中小企业发展制度的若干意见",
      "مرحبا بالعالم",
      "\u202etxt.exe",
      "👩‍👩‍👧‍👦🇨🇳",
      "e\u0301\u0301\u0301",
      "\ud800",
      "\udfff\ud800",
      "'; drop table assignments; --",
      "<script>alert(1)</script>",
      "%00%ff",
      "x".repeat(5000),
      "MOF",
      "mof",
      "NDRC ",
      "2026-02-30",
      "9999-12-31",
      "ongoing",
    ),
  );
  const edgeNumber = fc.oneof(
    fc.integer(),
    fc.double(),
    fc.constantFrom(0, -1, 1.5, 2 ** 31, 2 ** 53, -(2 ** 53), Number.MAX_VALUE, 1e308, -0),
  );
  const anyJson = fc.oneof(fc.jsonValue({ maxDepth: 3 }), nastyString, edgeNumber, fc.constant(null), fc.constant([]));

  /** A plausible input for each procedure, which the generators then break one field at a time. */
  function sampleInput(path: string): Record<string, unknown> {
    const ref = { id: mofAssignment.id, expectedVersion: mofAssignment.version };
    const samples: Record<string, Record<string, unknown>> = {
      "auth.login": { username: "mof", password: "wrong-password" },
      "catalog.plan": { planId },
      "catalog.planPage": { search: "意见", limit: 20, include: [planId] },
      "plan.setResponsibilities": { planId, measureNumber: 1, lead: "MIIT", supporting: ["MOF"] },
      "plan.issue": { planId, dueDate: "2099-12-31", dueDates: [{ measureNumber: 1, dueDate: "ongoing" }] },
      // Changes after issue: samples that stay refused when any one field is broken (no measure 999, a past deadline,
      // a blank reason, no plan 999999), so that the run never changes or withdraws the plans the other samples use.
      "plan.changeDeadline": { planId, measureNumber: 999, dueDate: "2000-01-01", note: "n", backdated: false },
      "plan.addSupporting": { planId, measureNumber: 999, department: "CNIPA", dueDate: "2000-01-01", note: "n" },
      "plan.removeSupporting": { planId, measureNumber: 999, department: "CNIPA", reason: "" },
      "plan.changeLead": { planId, measureNumber: 999, department: "CNIPA", reason: "", dueDate: "2000-01-01" },
      "plan.withdraw": { planId: 999_999, reason: "" },
      "plan.import": { text: "关于测试的意见\n一、总体要求\n（一）加强统计监测。", title: "测试" },
      "plan.addTranslation": { planId, text: "一、总体要求\n（一）加强统计监测。" },
      // Reports to the level above (issue 16): well-formed samples, so that each field is broken one at a time.
      "round.levelReport": { roundId: 1 },
      "round.childReports": { roundId: 1 },
      "round.levelSaveDraft": { levelReportId: 1, expectedVersion: 1, progress: "进展", problems: "", nextSteps: "" },
      "round.levelSubmit": { levelReportId: 1, expectedVersion: 1, progress: "进展", problems: "", nextSteps: "" },
      "round.levelSignOff": { levelReportId: 1, expectedVersion: 1 },
      "round.levelReject": { levelReportId: 1, expectedVersion: 1, reason: "请补充" },
      "round.levelReturn": { levelReportId: 1, expectedVersion: 1, reason: "请补充" },
      "round.levelRemoveFile": { fileId: 1, expectedVersion: 1 },
      // With a decision for a name not recognised, so that a broken departmentChoices is tried too.
      "cascade.matchDocument": { forwardingId: 1, text: "（一）加强统计监测。（财政部负责）", departmentChoices: [{ measure: 1, name: "南宁海关", department: null }] },
      "cascade.deriveFromDocument": { forwardingId: 1, text: "（一）加强统计监测。（财政部负责）", departmentChoices: [{ measure: 1, name: "南宁海关", department: "MOF" }] },
      "plan.create": {
        titleEn: "t",
        titleZh: "测",
        sections: [{ number: 1, numeral: "一", title: "总" }],
        measures: [{ number: 1, section: 1, title: "m", text: "措施", textCut: false }],
        responsibilities: [{ measureNumber: 1, department: "MOF", role: "lead" }],
      },
      "inbox.list": { planId, department: "MOF", status: "accepted", lateness: "overdue", search: "统计", cursor: "abc", limit: 5 },
      "inbox.markRead": { assignmentId: mofAssignment.id },
      "inbox.plans": { department: "MOF" },
      "assignment.get": { id: mofAssignment.id },
      "assignment.decline": { ...ref, reason: "r" },
      "assignment.reportProgress": { ...ref, note: "n" },
      "assignment.signOff": { ...ref, summary: "s" },
      "assignment.requestExtension": { ...ref, until: "2100-01-01", reason: "r" },
      "assignment.comment": { ...ref, body: "b" },
      "assignment.reassign": { ...ref, toDepartment: "CNIPA", note: "Patents." },
      "assignment.reaffirm": { ...ref, note: "n" },
      "assignment.return": { ...ref, reason: "r" },
      "assignment.withdraw": { ...ref, reason: "r" },
      "assignment.remind": { ...ref, message: "m" },
      "assignment.decideExtension": { ...ref, approve: true, note: "n" },
      "measure.history": { planId, measureNumber: 3 },
      "measure.close": { planId, measureNumber: 3, note: "n" },
      "measure.reopen": { planId, measureNumber: 3, note: "n" },
      "tracking.overview": { planId },
      "tracking.overdue": { planId },
      "matrix.get": { planId, withStatus: true },
      "audit.list": { planId, assignmentId: mofAssignment.id, cursor: 10, limit: 3 },
      "live.changes": { planId },
    };
    return samples[path] ?? (path.startsWith("assignment.") ? ref : {});
  }

  describe("bad input", () => {
    it("generated inputs to every procedure never cause an internal error, and every refusal says what is wrong", async () => {
      for (const { path, type } of procedures) {
        if (path === "auth.logout") continue; // takes no input; it would end the session the other calls need
        const sample = sampleInput(path);
        const keys = Object.keys(sample);
        const broken = fc.oneof(
          anyJson,
          // One field replaced by anything, or removed, or an unknown field added.
          keys.length === 0
            ? anyJson
            : fc.tuple(fc.constantFrom(...keys), anyJson, fc.boolean()).map(([key, value, drop]) => {
                const copy: Record<string, unknown> = { ...sample, [key]: value };
                if (drop) delete copy[key];
                return copy;
              }),
          fc.dictionary(fc.string({ maxLength: 8 }), anyJson, { maxKeys: 5 }).map((extra) => ({ ...sample, ...extra })),
        );
        await fc.assert(
          fc.asyncProperty(broken, fc.boolean(), async (input, asCoordinator) => {
            const b = asCoordinator ? coordinator : liaison;
            judge(`${path} ${JSON.stringify(input)?.slice(0, 120)}`, await call(b, path, type, input));
          }),
          { numRuns: 40 },
        );
      }
      expect(tally.examples).toEqual([]);
      expect(tally.internalErrors).toBe(0);
    });

    it("broken bodies, query strings and methods get a clear refusal", async () => {
      const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
      const raw: Array<[string, RequestInit]> = [
        ["/trpc/assignment.comment", { method: "POST", headers: { "content-type": "application/json" }, body: "{" }],
        ["/trpc/assignment.comment", { method: "POST", headers: { "content-type": "application/json" }, body: "" }],
        ["/trpc/assignment.comment", { method: "POST", headers: { "content-type": "application/json" }, body: "null" }],
        ["/trpc/assignment.comment", { method: "POST", headers: { "content-type": "application/json" }, body: '"\\ud800"' }],
        ["/trpc/assignment.comment", { method: "POST", headers: { "content-type": "application/json" }, body: deep }],
        ["/trpc/assignment.comment", { method: "POST", headers: { "content-type": "application/json" }, body: '{"__proto__":{"admin":true},"id":1}' }],
        ["/trpc/assignment.comment", { method: "POST", headers: { "content-type": "application/json; charset=latin1" }, body: "{}" }],
        ["/trpc/assignment.accept,assignment.decline?batch=1", { method: "POST", headers: { "content-type": "application/json" }, body: '{"0":{"id":1},"1":"x"}' }],
        ["/trpc/assignment.accept?batch=1", { method: "POST", headers: { "content-type": "application/json" }, body: "[1,2,3]" }],
        ["/trpc/assignment.get?input=%7B", { method: "GET" }],
        ["/trpc/assignment.get?input=%E0%A4%A", { method: "GET" }],
        ["/trpc/assignment.get?input=%7B%22id%22%3A1e999%7D", { method: "GET" }],
        [`/trpc/assignment.get?input=${encodeURIComponent(deep.slice(0, 1500) + deep.slice(-1500))}`, { method: "GET" }],
        ["/trpc/assignment.get?batch=1&input=%7B%220%22%3Anull%7D", { method: "GET" }],
        [`/trpc/${"assignment.get,".repeat(200)}assignment.get?batch=1&input=%7B%7D`, { method: "GET" }],
        ["/trpc/assignment.accept", { method: "GET" }],
        ["/trpc/inbox.list", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }],
        ["/trpc/no.such.procedure", { method: "GET" }],
        ["/trpc/", { method: "GET" }],
        ["/trpc/assignment.comment", { method: "PUT", headers: { "content-type": "application/json" }, body: "{}" }],
        ["/trpc/assignment.comment", { method: "DELETE" }],
        ["/health?x=%ff", { method: "GET" }],
        [`/${"a/".repeat(3000)}`, { method: "GET", headers: { accept: "text/html" } }],
      ];
      for (const [path, init] of raw) {
        const answer = await liaison.send(path, init);
        // Outside tRPC, a clear refusal may be a plain JSON error message.
        judge(`${init.method} ${path.slice(0, 80)} ${typeof init.body === "string" ? init.body.slice(0, 40) : ""}`, answer);
        expect(answer.status, `${init.method} ${path.slice(0, 80)}`).toBeLessThan(500);
      }
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
    });

    it("bodies over the limit get 413, with or without a declared length", async () => {
      const big = JSON.stringify({ id: mofAssignment.id, expectedVersion: 1, body: "中".repeat(100_000) });
      const declared = await liaison.send("/trpc/assignment.comment", { method: "POST", headers: { "content-type": "application/json" }, body: big });
      judge("413 declared", declared);
      expect(declared.status).toBe(413);
      expect(declared.ok ? null : declared.error?.code).toBe("PAYLOAD_TOO_LARGE");
      // Streamed without a length: the server answers 413 as soon as the limit is passed (and may close the
      // connection while the client still writes, so read the answer with node:http rather than fetch).
      const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const url = new URL("/trpc/assignment.comment", server.url);
        const request = httpRequest(url, { method: "POST", headers: { "content-type": "application/json", cookie: liaison.cookie ?? "" } }, (response) => {
          let body = "";
          response.on("data", (c: Buffer) => {
            body += c.toString("utf8");
          });
          response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
        });
        request.on("error", (error: NodeJS.ErrnoException) => {
          if (error.code !== "EPIPE" && error.code !== "ECONNRESET") reject(error);
        });
        const bytes = Buffer.from(big, "utf8");
        for (let i = 0; i < bytes.length; i += 16_384) request.write(bytes.subarray(i, i + 16_384));
        request.end();
      });
      tally.inputs++;
      expect(chunked.status).toBe(413);
      expect(chunked.body).toContain("PAYLOAD_TOO_LARGE");
      // Just under the limit is fine (and refused by the text's own limit, naming the field).
      const under = await liaison.mutate("assignment.comment", { id: mofAssignment.id, expectedVersion: 1, body: "中".repeat(60_000) });
      judge("under the limit", under);
      expect(under.status).toBe(400);
      expect(under.ok ? null : under.error?.field).toBe("body");
    });

    it("text in any script is stored and returned exactly, or refused naming the field", async () => {
      let version = (dataOf<{ assignment: { version: number } }>(await liaison.query("assignment.get", { id: textAssignment.id }))).assignment.version;
      const outcomes = { exact: 0, refused: 0, altered: 0 };
      const altered: string[] = [];
      const text = fc.oneof(
        fc.string({ unit: "binary", minLength: 1, maxLength: 30 }),
        fc.string({ unit: "grapheme", minLength: 1, maxLength: 30 }),
        fc.constantFrom(
          "关于健全支持中小企业发展制度的若干意见 第（七）条",
          "مرحبا، هذا تعليق باللغة العربية",
          "שלום עולם",
          "👩‍👩‍👧‍👦 🇨🇳 ✅ 🧧",
          "e\u0301 a\u0308 ñ",
          "tab\there\u0000nul\u0001soh\u007fdel\u001besc",
          "\u202eRTL override\u202c and \u200bzero width",
          "line one\r\nline two\u2028line three",
          "\ud800 lone high",
          "lone low \udc00",
          "\ufeffbom",
          "𠀀𪚥 astral CJK",
        ),
      );
      await fc.assert(
        fc.asyncProperty(text, fc.constantFrom("assignment.comment", "assignment.reportProgress"), async (sent, procedure) => {
          const field = procedure === "assignment.comment" ? "body" : "note";
          const answer = await liaison.mutate(procedure, { id: textAssignment.id, expectedVersion: version, [field]: sent });
          judge(`${procedure} ${JSON.stringify(sent)}`, answer);
          if (!answer.ok) {
            expect(answer.status).toBe(400);
            expect(answer.error?.field).toBe(field);
            outcomes.refused++;
            return;
          }
          version = (answer.data as { version: number }).version;
          const detail = dataOf<{ comments: Array<{ body: string }>; history: Array<{ type: string; payload: Record<string, unknown> }> }>(
            await liaison.query("assignment.get", { id: textAssignment.id }),
          );
          const stored =
            procedure === "assignment.comment"
              ? detail.comments.at(-1)?.body
              : detail.history.filter((h) => h.type === "assignment.progress_reported").at(-1)?.payload["note"];
          // Surrounding white space, invisible and control characters are removed by design (a text that shows nothing
          // is no text: the domain's normaliseText); the rest is kept exactly.
          if (stored === normaliseText(sent)) outcomes.exact++;
          else {
            outcomes.altered++;
            altered.push(`${JSON.stringify(sent)} → ${JSON.stringify(stored)}`);
          }
        }),
        { numRuns: 120 },
      );
      process.stdout.write(`text round trips: ${JSON.stringify(outcomes)}\n${altered.slice(0, 5).join("\n")}\n`);
      tally.unclear += outcomes.altered;
      expect(altered).toEqual([]);
    });
  });
});
