import { describe, expect, it } from "vitest";
import { assignmentAccess, canSeeWordsOf, conversationDepartmentOf, inboxScope, inScope, readsEveryDepartment } from "./policy.js";
import { actorRoles } from "./types.js";

describe("policy: a department's own words", () => {
  it("coordinator, observer and admin read every department's words; a liaison its own department's only", () => {
    for (const role of actorRoles) {
      const viewer = { role, department: role === "liaison" ? "NDRC" : "MIIT" };
      expect(readsEveryDepartment(viewer)).toBe(role !== "liaison");
      expect(canSeeWordsOf(viewer, "MOF")).toBe(role !== "liaison");
      expect(canSeeWordsOf(viewer, null)).toBe(role !== "liaison");
    }
    expect(canSeeWordsOf({ role: "liaison", department: "NDRC" }, "NDRC")).toBe(true);
    expect(canSeeWordsOf({ role: "liaison", department: null }, null)).toBe(false);
  });

  it("after a reassignment the previous department opens the assignment as a past holder, others not at all", () => {
    const liaison = (department: string) => ({ role: "liaison" as const, department });
    expect(assignmentAccess(liaison("NDRC"), "NDRC", ["MOF"])).toBe("holder");
    expect(assignmentAccess(liaison("MOF"), "NDRC", ["MOF"])).toBe("past_holder");
    expect(assignmentAccess(liaison("STA"), "NDRC", ["MOF"])).toBeNull();
    expect(assignmentAccess({ role: "observer", department: null }, "NDRC", [])).toBe("holder");
  });

  it("a reassignment's note belongs to the department receiving the work; every other event to the holder", () => {
    expect(conversationDepartmentOf("assignment.reassigned", "MOF", "CNIPA")).toBe("CNIPA");
    for (const type of ["assignment.declined", "assignment.reaffirmed", "assignment.commented", "assignment.returned"]) {
      expect(conversationDepartmentOf(type, "MOF", "MOF")).toBe("MOF");
      expect(conversationDepartmentOf(type, "MOF", "CNIPA")).toBe("MOF");
    }
  });
});

describe("policy: inside a department (issue 15, point 2)", () => {
  const handler = { role: "liaison" as const, department: "MOF", departmentRole: "handler" as const, division: 10, userId: 100 };
  const leader = { role: "liaison" as const, department: "MOF", departmentRole: "leader" as const, userId: 104 };
  const liaison = { role: "liaison" as const, department: "MOF" };

  it("a handler opens what was given to them or to their division, nothing else of the department and nothing held before", () => {
    expect(assignmentAccess(handler, "MOF", [], { division: 11, handler: 100 })).toBe("holder");
    expect(assignmentAccess(handler, "MOF", [], { division: 10, handler: 101 })).toBe("holder");
    expect(assignmentAccess(handler, "MOF", [], { division: 11, handler: 101 })).toBeNull();
    expect(assignmentAccess(handler, "MOF", [], { division: null, handler: null })).toBeNull();
    expect(assignmentAccess(handler, "MOF", [])).toBeNull();
    expect(assignmentAccess(handler, "STA", [], { division: 10, handler: 100 })).toBeNull();
    expect(assignmentAccess(handler, "NDRC", ["MOF"], { division: 10, handler: 100 })).toBeNull();
  });

  it("the liaison and the leader open all of their department's work; a leader of another department none of it", () => {
    for (const viewer of [liaison, leader]) {
      expect(assignmentAccess(viewer, "MOF", [], { division: 11, handler: 101 })).toBe("holder");
      expect(assignmentAccess(viewer, "MOF", [])).toBe("holder");
    }
    expect(assignmentAccess({ ...leader, department: "STA" }, "MOF", [], { division: 11, handler: 101 })).toBeNull();
  });

  it("the inbox: everything for those who read every department, the department's for its liaison and leader, a handler's own", () => {
    expect(inboxScope({ role: "coordinator", department: "MIIT" })).toEqual({ kind: "all" });
    expect(inboxScope(liaison)).toEqual({ kind: "department", department: "MOF" });
    expect(inboxScope(leader)).toEqual({ kind: "department", department: "MOF" });
    expect(inboxScope(handler)).toEqual({ kind: "handler", department: "MOF", division: 10, userId: 100 });
    expect(inboxScope({ role: "liaison", department: null })).toEqual({ kind: "none" });
  });

  it("one scope for every view of states: a handler's own and their division's, nothing else; the rest by department", () => {
    const places = [
      { department: "MOF", division: 11, handler: 100 },
      { department: "MOF", division: 10, handler: 101 },
      { department: "MOF", division: 10, handler: null },
      { department: "MOF", division: 11, handler: 101 },
      { department: "MOF", division: null, handler: null },
      { department: "STA", division: 10, handler: 100 },
    ];
    expect(places.map((p) => inScope(inboxScope(handler), p))).toEqual([true, true, true, false, false, false]);
    // A handler without a division reaches only what names them; one without an id (never) nothing by id.
    expect(places.map((p) => inScope(inboxScope({ ...handler, division: null }), p))).toEqual([true, false, false, false, false, false]);
    expect(places.map((p) => inScope(inboxScope({ ...handler, userId: null }), p))).toEqual([false, true, true, false, false, false]);
    for (const viewer of [liaison, leader]) {
      expect(places.map((p) => inScope(inboxScope(viewer), p))).toEqual([true, true, true, true, true, false]);
    }
    expect(places.every((p) => inScope(inboxScope({ role: "observer", department: null }), p))).toBe(true);
    expect(places.some((p) => inScope(inboxScope({ role: "liaison", department: null }), p))).toBe(false);
  });
});
