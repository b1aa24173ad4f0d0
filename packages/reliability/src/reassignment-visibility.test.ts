/**
 * 9. A department's own words after a reassignment (issue 18, kind 4). MOF comments on an assignment, asks for an
 * extension and declines it with a reason; the coordinator answers MOF and reassigns the assignment to a department
 * not on the measure. The new department must find none of MOF's words (nor the coordinator's answer to MOF) through
 * assignment.get, audit.list, tracking.overview or the exports; MOF must still read its own words on the assignment,
 * and none of the new department's. On both engines (issue 13).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issuingDepartmentCodes } from "@countersign/domain";
import type { Browser } from "./support/client.js";
import { dataOf, liaisonOf, signedIn } from "./support/client.js";
import { recordFigures } from "./support/figures.js";
import { areaSuffix, databaseOn, engines } from "./support/engines.js";
import type { EngineDatabase } from "./support/engines.js";
import { issueDrillPlan } from "./support/fixture.js";
import type { StartedServer } from "./support/server.js";

interface Tracked {
  measures: Array<{ number: number; assignments: Array<{ id: number; version: number; department: string; status: string; dueDate: string }> }>;
}
interface Ref {
  id: number;
  version: number;
}

describe.each(engines)("on %s", (engine) => {
  let server: StartedServer;
  let database: EngineDatabase;
  let miit: Browser;
  let planId: number;
  beforeAll(async () => {
    database = await databaseOn(engine, "reassignment-visibility");
    server = await database.start();
    miit = await signedIn(server.url, "miit");
    // The drill plan: 71 fresh assignments, due 2099-12-31.
    planId = await issueDrillPlan(server.url, miit);
  });
  afterAll(async () => {
    await server.stop();
    await database.drop();
  });

  /** MOF's words, and the coordinator's answer to MOF: none may reach the next department. */
  const mofWords = ["MOF-COMMENT-7f3a", "MOF-EXTENSION-REASON-91c2", "MOF-DECLINE-REASON-5be0", "MIIT-TO-MOF-REPLY-c44d"];
  // The coordinator's reassignment note is addressed to the department receiving the work (conversationDepartmentOf).
  const newWords = ["NEW-DEPARTMENT-COMMENT-0d9e", "REASSIGNMENT-NOTE-FOR-NEW-7c1a"];

  async function act(who: Browser, procedure: string, ref: Ref, input: Record<string, unknown>): Promise<Ref> {
    const summary = dataOf<{ id: number; version: number }>(await who.mutate(procedure, { id: ref.id, expectedVersion: ref.version, ...input }));
    return { id: summary.id, version: summary.version };
  }

  /** Which of `words` appear in a text. */
  const found = (text: string, words: readonly string[]): string[] => words.filter((w) => text.includes(w));

  describe("a department's own words after a reassignment", () => {
    it("the new department sees none of its predecessor's words; the predecessor keeps its own", async () => {
      const overview = dataOf<Tracked>(await miit.query("tracking.overview", { planId }));
      const measure = overview.measures.find((m) => m.assignments.some((a) => a.department === "MOF" && a.status === "assigned" && a.dueDate !== "ongoing"));
      const target = measure?.assignments.find((a) => a.department === "MOF" && a.status === "assigned");
      if (measure === undefined || target === undefined) throw new Error("the drill plan has no assigned MOF assignment with a deadline");
      const newDepartment = issuingDepartmentCodes.find((code) => code !== "MIIT" && !measure.assignments.some((a) => a.department === code));
      if (newDepartment === undefined) throw new Error("every department is on the measure");

      const mof = await signedIn(server.url, "mof");
      let ref: Ref = { id: target.id, version: target.version };
      ref = await act(mof, "assignment.comment", ref, { body: mofWords[0] });
      ref = await act(mof, "assignment.requestExtension", ref, { until: "2100-06-30", reason: mofWords[1] });
      ref = await act(mof, "assignment.decline", ref, { reason: mofWords[2] });
      ref = await act(miit, "assignment.comment", ref, { body: mofWords[3] });
      ref = await act(miit, "assignment.reassign", ref, { toDepartment: newDepartment, note: newWords[1] });

      const next = await signedIn(server.url, liaisonOf(newDepartment));
      ref = await act(next, "assignment.comment", ref, { body: newWords[0] });

      const csv = await next.fetch(`/export/matrix.csv?plan=${planId}&lang=en&status=1`);
      expect(csv.status).toBe(200);
      const seenByNext: Record<string, string> = {
        "assignment.get": JSON.stringify(dataOf(await next.query("assignment.get", { id: ref.id }))),
        "audit.list (assignment)": JSON.stringify(dataOf(await next.query("audit.list", { assignmentId: ref.id, limit: 200 }))),
        "audit.list (plan)": JSON.stringify(dataOf(await next.query("audit.list", { planId, limit: 200 }))),
        "tracking.overview": JSON.stringify(dataOf(await next.query("tracking.overview", { planId }))),
        "export matrix.csv": await csv.text(),
      };
      const leaks = Object.entries(seenByNext).flatMap(([where, text]) => found(text, mofWords).map((w) => `${where}: ${w}`));

      const mine = dataOf<{ access: string; history: Array<{ payload: Record<string, unknown> }>; comments: Array<{ body: string }>; allowedActions: string[] }>(
        await mof.query("assignment.get", { id: ref.id }),
      );
      const mofText = JSON.stringify(mine);
      const mofAudit = JSON.stringify(dataOf(await mof.query("audit.list", { assignmentId: ref.id, limit: 200 })));
      const coordinatorText = JSON.stringify(dataOf(await miit.query("assignment.get", { id: ref.id })));

      process.stdout.write(
        `reassignment visibility (${engine}, ${target.id}: MOF → ${newDepartment}): leaks ${leaks.length}; MOF keeps ${found(mofText, mofWords).length}/${mofWords.length} of its words\n`,
      );
      recordFigures({
        area: `9 reassignment visibility${areaSuffix(engine)}`,
        figure: "predecessor words seen by the new department / kept by the predecessor / new words seen by the predecessor",
        values: [leaks.length, found(mofText, mofWords).length, found(mofText + mofAudit, newWords).length],
        failures: leaks.length + (mofWords.length - found(mofText, mofWords).length) + found(mofText + mofAudit, newWords).length,
        detail: "assignment.get, audit.list (assignment and plan), tracking.overview, matrix.csv of the new department; assignment.get and audit.list of the previous one",
      });

      expect(leaks).toEqual([]);
      expect(found(seenByNext["assignment.get"] ?? "", newWords)).toEqual(newWords);
      expect(found(mofText, mofWords)).toEqual(mofWords);
      expect(found(mofAudit, mofWords.slice(1, 3))).toEqual(mofWords.slice(1, 3));
      expect(found(mofText + mofAudit, newWords)).toEqual([]);
      expect(mine.access).toBe("past_holder");
      expect(mine.allowedActions).toEqual([]);
      // The coordinator reads everyone's words.
      expect(found(coordinatorText, [...mofWords, ...newWords])).toEqual([...mofWords, ...newWords]);
      // A department that never held it is still refused.
      const other = issuingDepartmentCodes.find((c) => c !== "MIIT" && c !== "MOF" && c !== newDepartment && !measure.assignments.some((a) => a.department === c));
      if (other !== undefined) {
        const refused = await (await signedIn(server.url, liaisonOf(other))).query("assignment.get", { id: ref.id });
        expect(refused).toMatchObject({ status: 403, error: { refusalCode: "not_your_department" } });
      }
    });
  });
});
