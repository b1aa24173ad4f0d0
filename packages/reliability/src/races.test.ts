/**
 * 3. Races. For each pair of conflicting actions, many rounds of truly concurrent HTTP requests (separate sessions,
 * sent in the same tick, in a random order) carrying the same expectedVersion: exactly one wins, the others get
 * CONFLICT, and the trail holds exactly one event per win. Then the optional Idempotency-Key: a retried request gets
 * the first answer instead of a conflict, and double-sent requests with one key make one change. On both engines
 * (issue 13): on PostgreSQL the trail is read with SQL beside the server.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dataOf, liaisonOf, signedIn } from "./support/client.js";
import type { Answer, Browser } from "./support/client.js";
import { recordFigures } from "./support/figures.js";
import { areaSuffix, databaseOn, engines } from "./support/engines.js";
import type { EngineDatabase, Look } from "./support/engines.js";
import { issueDrillPlan, measuresOf } from "./support/fixture.js";
import type { TrackedAssignment, TrackedMeasure } from "./support/fixture.js";
import type { StartedServer } from "./support/server.js";

const roundsPerPair = 30;

describe.each(engines)("on %s", (engine) => {
  let server: StartedServer;
  let database: EngineDatabase;
  let trail: Look;
  let miit: Browser;
  let miitTab2: Browser;
  let planId: number;
  let measures: TrackedMeasure[];
  const tabs = new Map<string, Browser[]>();
  /** Assignments a test has raced on, so that the next test starts from fresh ones. */
  const used = new Set<number>();
  const fresh = (m: TrackedMeasure): boolean => m.assignments.every((a) => !used.has(a.id));

  /** Two (or more) signed-in sessions of one department's liaison: two browser tabs, two devices. */
  async function liaisonTabs(department: string, count = 2): Promise<Browser[]> {
    const have = tabs.get(department) ?? [];
    while (have.length < count) have.push(await signedIn(server.url, liaisonOf(department)));
    tabs.set(department, have);
    return have.slice(0, count);
  }

  interface AssignmentNow {
    id: number;
    version: number;
    status: string;
    department: string;
    role: string;
  }

  async function current(id: number): Promise<AssignmentNow> {
    return dataOf<{ assignment: AssignmentNow }>(await miit.query("assignment.get", { id })).assignment;
  }

  const headSeq = async (): Promise<number> => (await trail.row<{ s: number }>("select coalesce(max(seq), 0) as s from audit_events"))?.s ?? 0;

  /** Events of these types written since `seq`, per assignment. */
  function eventsSince(seq: number, types: string[]): Promise<Array<{ type: string; assignmentId: number }>> {
    return trail.rows<{ type: string; assignmentId: number }>(
      `select type, assignment_id as "assignmentId" from audit_events where seq > ? and type in (${types.map(() => "?").join(",")}) order by seq`,
      [seq, ...types],
    );
  }

  /** Sends every request in the same tick, in a random order. */
  function concurrently(requests: Array<() => Promise<Answer>>): Promise<Answer[]> {
    const order = requests.map((r, i) => ({ r, i, k: Math.random() })).sort((a, b) => a.k - b.k);
    const started = order.map(({ r, i }) => r().then((answer) => ({ answer, i })));
    return Promise.all(started).then((done) => done.sort((a, b) => a.i - b.i).map((d) => d.answer));
  }

  const isConflict = (a: Answer): boolean => !a.ok && a.status === 409 && a.error?.refusalCode === "stale_version" && a.error.current !== null;

  interface PairFigures {
    rounds: number;
    anomalies: number;
    notes: string[];
  }
  const figures = new Map<string, PairFigures>();
  function tally(pair: string, anomaly: string | null): void {
    const f = figures.get(pair) ?? { rounds: 0, anomalies: 0, notes: [] };
    f.rounds++;
    if (anomaly !== null) {
      f.anomalies++;
      f.notes.push(anomaly);
    }
    figures.set(pair, f);
  }

  /** One winner, every other answer a CONFLICT with the current state, and one event (of the winner's type) per win. */
  function judgeOneWinner(answers: Answer[], events: Array<{ type: string }>, eventOf: (winner: number) => string): string | null {
    const winners = answers.map((a, i) => (a.ok ? i : -1)).filter((i) => i >= 0);
    if (winners.length !== 1) return `${winners.length} winners: ${answers.map((a) => a.status).join(",")}`;
    const losers = answers.filter((a) => !a.ok);
    if (!losers.every(isConflict)) return `a loser was not a CONFLICT: ${losers.map((a) => `${a.status} ${a.ok ? "" : a.error?.refusalCode}`).join(",")}`;
    const winner = winners[0] ?? 0;
    if (events.length !== 1 || events[0]?.type !== eventOf(winner)) return `trail: ${events.map((e) => e.type).join(",") || "nothing"}`;
    return null;
  }

  beforeAll(async () => {
    database = await databaseOn(engine, "races");
    server = await database.start();
    trail = database.look();
    miit = await signedIn(server.url, "miit");
    miitTab2 = await signedIn(server.url, "miit");
    planId = await issueDrillPlan(server.url, miit);
    measures = await measuresOf(miit, planId);
  });
  afterAll(async () => {
    await trail.close();
    await server.stop();
    await database.drop();
    const rows = [...figures.entries()];
    const rounds = rows.reduce((n, [, f]) => n + f.rounds, 0);
    const anomalies = rows.reduce((n, [, f]) => n + f.anomalies, 0);
    recordFigures({
      area: `3 races${areaSuffix(engine)}`,
      figure: "rounds / anomalies",
      values: [rounds, anomalies],
      failures: anomalies,
      detail: rows.map(([pair, f]) => `${pair} ${f.rounds}/${f.anomalies}`).join("; "),
    });
    process.stdout.write(`races (${engine}): rounds / anomalies = ${rounds} / ${anomalies}\n${rows.map(([p, f]) => `  ${p}: ${f.rounds} / ${f.anomalies}${f.notes.length > 0 ? ` ${f.notes.slice(0, 5).join(" | ")}` : ""}`).join("\n")}\n`);
  });

  /** Assignments of the drill plan that are still assigned, for accept/decline; used up as accepts win. */
  function assignedPool(): TrackedAssignment[] {
    return measures.flatMap((m) => m.assignments).filter((a) => a.status === "assigned");
  }

  describe("races", () => {
    it("accept / decline from two tabs: one wins, the other gets CONFLICT", async () => {
      // The later races need fresh measures (two of three departments, one of two), and each accept won here uses one
      // up (how many accepts win is up to the race): those are kept out of this race's pool.
      const withSupporting = (size: number) => measures.filter((m) => m.assignments.length === size && m.assignments.some((a) => a.role === "supporting"));
      const kept = new Set([...withSupporting(3).slice(0, 2), ...withSupporting(2).slice(0, 1)].flatMap((m) => m.assignments.map((a) => a.id)));
      const pool = assignedPool().filter((a) => a.role === "supporting" && !kept.has(a.id));
      let next = 0;
      for (let round = 0; round < roundsPerPair; round++) {
        const a = pool[next];
        if (a === undefined) throw new Error("the pool of assigned assignments ran out");
        used.add(a.id);
        const now = await current(a.id);
        const [tab1, tab2] = await liaisonTabs(now.department);
        if (tab1 === undefined || tab2 === undefined) throw new Error("no tabs");
        const seq = await headSeq();
        const answers = await concurrently([
          () => tab1.mutate("assignment.accept", { id: a.id, expectedVersion: now.version }),
          () => tab2.mutate("assignment.decline", { id: a.id, expectedVersion: now.version, reason: `申请调整 round ${round}` }),
        ]);
        const events = await eventsSince(seq, ["assignment.accepted", "assignment.declined"]);
        tally("accept/decline", judgeOneWinner(answers, events, (w) => (w === 0 ? "assignment.accepted" : "assignment.declined")));
        // A decline goes back to the department (维持交办) and the same assignment races again; an accept uses it up.
        if (answers[1]?.ok === true) {
          const declined = await current(a.id);
          dataOf(await miit.mutate("assignment.reaffirm", { id: a.id, expectedVersion: declined.version, note: "请承办" }));
        } else next++;
      }
      expect(figures.get("accept/decline")).toMatchObject({ rounds: roundsPerPair, anomalies: 0 });
    });

    it("double sign-off from three tabs, and double return from two coordinator tabs", async () => {
      // A supporting assignment whose lead has not signed off: returning it reopens nothing else.
      const measure = measures.find((m) => fresh(m) && m.assignments.some((a) => a.role === "supporting") && m.assignments.length >= 3);
      const target = measure?.assignments.find((a) => a.role === "supporting");
      if (measure === undefined || target === undefined) throw new Error("no supporting assignment");
      for (const a of measure.assignments) used.add(a.id);
      const tabsOf = await liaisonTabs(target.department, 3);
      const [firstTab] = tabsOf;
      if (firstTab === undefined) throw new Error("no tabs");
      let now = await current(target.id);
      if (now.status === "assigned") dataOf(await firstTab.mutate("assignment.accept", { id: target.id, expectedVersion: now.version }));
      for (let round = 0; round < roundsPerPair; round++) {
        now = await current(target.id);
        let seq = await headSeq();
        const signOffs = await concurrently(
          tabsOf.map((tab, i) => () => tab.mutate("assignment.signOff", { id: target.id, expectedVersion: now.version, summary: `完成 tab ${i} round ${round}` })),
        );
        tally("double sign-off", judgeOneWinner(signOffs, await eventsSince(seq, ["assignment.signed_off"]), () => "assignment.signed_off"));

        now = await current(target.id);
        seq = await headSeq();
        const returns = await concurrently(
          [miit, miitTab2].map((tab, i) => () => tab.mutate("assignment.return", { id: target.id, expectedVersion: now.version, reason: `退回 tab ${i}` })),
        );
        tally("double return", judgeOneWinner(returns, await eventsSince(seq, ["assignment.returned", "assignment.lead_reopened"]), () => "assignment.returned"));
      }
      expect(figures.get("double sign-off")).toMatchObject({ rounds: roundsPerPair, anomalies: 0 });
      expect(figures.get("double return")).toMatchObject({ rounds: roundsPerPair, anomalies: 0 });
    });

    it("the lead's sign-off against the return of a supporting sign-off: never a lead signed off over an open supporting part", async () => {
      // A measure with one lead and exactly one supporting department.
      const measure = measures.find((m) => fresh(m) && m.assignments.length === 2 && m.assignments.some((a) => a.role === "supporting"));
      const lead = measure?.assignments.find((a) => a.role === "lead");
      const supporting = measure?.assignments.find((a) => a.role === "supporting");
      if (measure === undefined || lead === undefined || supporting === undefined) throw new Error("no measure with one lead and one supporting department");
      for (const a of measure.assignments) used.add(a.id);
      const [leadTab] = await liaisonTabs(lead.department, 1);
      const [supportingTab] = await liaisonTabs(supporting.department, 1);
      if (leadTab === undefined || supportingTab === undefined) throw new Error("no tabs");
      for (const [tab, a] of [[leadTab, lead], [supportingTab, supporting]] as const) {
        const now = await current(a.id);
        if (now.status === "assigned") dataOf(await tab.mutate("assignment.accept", { id: a.id, expectedVersion: now.version }));
      }
      const orders = { returnFirst: 0, signOffFirst: 0 };
      for (let round = 0; round < roundsPerPair; round++) {
        const s0 = await current(supporting.id);
        dataOf(await supportingTab.mutate("assignment.signOff", { id: supporting.id, expectedVersion: s0.version, summary: `配合部分完成 ${round}` }));
        const [l, s] = [await current(lead.id), await current(supporting.id)];
        const seq = await headSeq();
        const [signOff, ret] = await concurrently([
          () => leadTab.mutate("assignment.signOff", { id: lead.id, expectedVersion: l.version, summary: `牵头汇总 ${round}` }),
          () => miit.mutate("assignment.return", { id: supporting.id, expectedVersion: s.version, reason: `退回重办 ${round}` }),
        ]);
        const events = (await eventsSince(seq, ["assignment.signed_off", "assignment.returned", "assignment.lead_reopened"])).map((e) => e.type);
        const [l2, s2] = [await current(lead.id), await current(supporting.id)];
        let anomaly: string | null = null;
        if (l2.status === "signed_off" && s2.status !== "signed_off") anomaly = "the lead is signed off over an open supporting part";
        else if (ret?.ok !== true) anomaly = `the return failed: ${ret?.status}`;
        else if (signOff?.ok === true) {
          // The sign-off committed first; the return then reopened it (牵头汇总 again after the rework).
          orders.signOffFirst++;
          if (events.join(",") !== "assignment.signed_off,assignment.returned,assignment.lead_reopened" || l2.status !== "in_progress") {
            anomaly = `sign-off first, then: ${events.join(",")} lead ${l2.status}`;
          }
        } else {
          orders.returnFirst++;
          if (signOff?.status !== 412 || signOff.ok || signOff.error?.refusalCode !== "supporting_not_signed_off" || events.join(",") !== "assignment.returned") {
            anomaly = `return first, then: ${signOff?.status} ${events.join(",")}`;
          }
        }
        tally("sign-off/return", anomaly);
      }
      process.stdout.write(`sign-off/return orders: ${JSON.stringify(orders)}\n`);
      expect(figures.get("sign-off/return")).toMatchObject({ rounds: roundsPerPair, anomalies: 0 });
    });

    it("two reassignments from two coordinator tabs: one wins, the other gets CONFLICT", async () => {
      const departments = dataOf<Array<{ code: string }>>(await miit.query("catalog.departments")).map((d) => d.code);
      const measure = measures.find((m) => fresh(m) && m.assignments.length === 3);
      const target = measure?.assignments.find((a) => a.role === "supporting");
      if (measure === undefined || target === undefined) throw new Error("no fresh measure with three departments");
      for (const a of measure.assignments) used.add(a.id);
      for (let round = 0; round < roundsPerPair; round++) {
        let now = await current(target.id);
        if (now.status !== "declined") {
          const [tab] = await liaisonTabs(now.department, 1);
          if (tab === undefined) throw new Error("no tab");
          dataOf(await tab.mutate("assignment.decline", { id: target.id, expectedVersion: now.version, reason: "不属本部门职责" }));
          now = await current(target.id);
        }
        const detail = dataOf<{ others: Array<{ department: string }> }>(await miit.query("assignment.get", { id: target.id }));
        const taken = new Set([now.department, ...detail.others.map((o) => o.department)]);
        const free = departments.filter((d) => !taken.has(d)).sort(() => Math.random() - 0.5);
        const [toA, toB] = free;
        if (toA === undefined || toB === undefined) throw new Error("no free departments");
        const seq = await headSeq();
        const answers = await concurrently([
          () => miit.mutate("assignment.reassign", { id: target.id, expectedVersion: now.version, toDepartment: toA, note: "race" }),
          () => miitTab2.mutate("assignment.reassign", { id: target.id, expectedVersion: now.version, toDepartment: toB, note: "race" }),
        ]);
        const anomaly = judgeOneWinner(answers, await eventsSince(seq, ["assignment.reassigned"]), () => "assignment.reassigned");
        const after = await current(target.id);
        const winnerTo = answers[0]?.ok === true ? toA : toB;
        tally("two reassignments", anomaly ?? (after.department === winnerTo && after.status === "assigned" ? null : `now ${after.department} ${after.status}`));
      }
      expect(figures.get("two reassignments")).toMatchObject({ rounds: roundsPerPair, anomalies: 0 });
    });

    it("Idempotency-Key: a retry gets the first answer, double-sent requests make one change, a reused key is refused", async () => {
      const pool = assignedPool().filter((a) => a.role === "lead" && !used.has(a.id));
      let anomalies = 0;
      const note = (ok: boolean, what: string): void => {
        tally("idempotent retries", ok ? null : what);
        if (!ok) anomalies++;
      };
      for (let round = 0; round < roundsPerPair; round++) {
        const a = pool[round % pool.length];
        if (a === undefined) throw new Error("no assignment");
        const now = await current(a.id);
        const [tab1, tab2] = await liaisonTabs(now.department);
        if (tab1 === undefined || tab2 === undefined) throw new Error("no tabs");
        const key = `retry-${round}-${Math.random().toString(36).slice(2)}`;
        const headers = { "Idempotency-Key": key };
        const seq = await headSeq();
        const action =
          now.status === "assigned"
            ? { path: "assignment.accept", input: { id: a.id, expectedVersion: now.version } }
            : { path: "assignment.reportProgress", input: { id: a.id, expectedVersion: now.version, note: `进展 ${round}` } };
        // The same request with one key, double-sent at once (a double-click racing its own retry) ...
        const [first, second] = await concurrently([
          () => tab1.mutate(action.path, action.input, { headers }),
          () => tab1.mutate(action.path, action.input, { headers }),
        ]);
        // ... then retried after the answer was lost, from the other tab of the same account.
        const retry = await tab2.mutate(action.path, action.input, { headers });
        const withoutKey = await tab2.mutate(action.path, action.input);
        const events = await eventsSince(seq, ["assignment.accepted", "assignment.progress_reported"]);
        const same = first?.ok === true && second?.ok === true && retry.ok && JSON.stringify(first.data) === JSON.stringify(second.data) && JSON.stringify(first.data) === JSON.stringify(retry.data);
        note(same && events.length === 1 && isConflict(withoutKey), `round ${round}: ${first?.status} ${second?.status} ${retry.status} events ${events.length} no-key ${withoutKey.status}`);
      }

      // One key, another request: refused, and nothing changes.
      const a = pool[0];
      if (a === undefined) throw new Error("no assignment");
      const now = await current(a.id);
      const [tab] = await liaisonTabs(now.department, 1);
      if (tab === undefined) throw new Error("no tab");
      const headers = { "Idempotency-Key": "reused-key-0001" };
      const seq = await headSeq();
      const firstUse = await tab.mutate("assignment.comment", { id: a.id, expectedVersion: now.version, body: "第一次" }, { headers });
      const reused = await tab.mutate("assignment.comment", { id: a.id, expectedVersion: now.version + 1, body: "另一条" }, { headers });
      note(firstUse.ok, "the first comment failed");
      note(!reused.ok && reused.status === 422 && reused.error?.refusalCode === "idempotency_key_reused" && reused.message.includes("Idempotency-Key"), `reused key: ${reused.status}`);
      note((await eventsSince(seq, ["assignment.commented"])).length === 1, "a reused key changed something");
      // Keys are per account: the coordinator's same key is a different request.
      const byCoordinator = await miit.mutate("assignment.remind", { id: a.id, expectedVersion: now.version + 1, message: "请抓紧" }, { headers });
      note(byCoordinator.ok, `another account's key collided: ${byCoordinator.status}`);
      const tooLong = await tab.mutate("assignment.comment", { id: a.id, expectedVersion: now.version + 2, body: "x" }, { headers: { "Idempotency-Key": "k".repeat(300) } });
      note(!tooLong.ok && tooLong.status === 400 && tooLong.error?.field === "Idempotency-Key", `bad key: ${tooLong.status}`);
      expect(anomalies).toBe(0);
    });
  });
});
