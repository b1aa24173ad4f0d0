import { describe, expect, it } from "vitest";
import { assignmentAccess, canSeeWordsOf, conversationDepartmentOf, readsEveryDepartment } from "./policy.js";
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
