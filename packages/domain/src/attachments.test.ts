import { describe, expect, it } from "vitest";
import { actionTakesFiles, decideSupersede } from "./attachments.js";
import type { StoredFile } from "./attachments.js";
import type { Actor } from "./types.js";

const file: StoredFile = { id: 5, assignmentId: 10, department: "MOF", supersededById: null };
const later: StoredFile = { id: 7, assignmentId: 10, department: "MOF", supersededById: null };
const mof: Actor = { role: "liaison", department: "MOF" };

describe("decideSupersede", () => {
  it("lets the department's liaison supersede a file by a later one of its own on the same assignment", () => {
    expect(decideSupersede(mof, file, later)).toEqual({ ok: true });
  });
  it("refuses every other role, another department, and a replacement that is not later, elsewhere or not its own", () => {
    const code = (actor: Actor, a: StoredFile, b: StoredFile) => {
      const r = decideSupersede(actor, a, b);
      return r.ok ? "ok" : r.refusal.code;
    };
    for (const role of ["coordinator", "observer", "admin"] as const) expect(code({ role, department: "MOF" }, file, later)).toBe("wrong_role");
    expect(code({ role: "liaison", department: "NDRC" }, file, later)).toBe("not_your_department");
    expect(code({ role: "liaison", department: null }, file, later)).toBe("not_your_department");
    expect(code(mof, later, file)).toBe("invalid_state");
    expect(code(mof, file, file)).toBe("invalid_state");
    expect(code(mof, file, { ...later, assignmentId: 11 })).toBe("invalid_state");
    expect(code(mof, file, { ...later, department: "NDRC" })).toBe("invalid_state");
    expect(code(mof, { ...file, supersededById: 6 }, later)).toBe("invalid_state");
    expect(code(mof, file, { ...later, supersededById: 9 })).toBe("invalid_state");
  });
});

describe("actionTakesFiles", () => {
  it("lets progress reports, sign-offs, extension requests, returns and comments carry files, and no other action", () => {
    const all = ["accept", "decline", "reportProgress", "signOff", "requestExtension", "comment", "reassign", "reaffirm", "return", "withdraw", "remind", "decideExtension"] as const;
    expect(all.filter((a) => actionTakesFiles(a))).toEqual(["reportProgress", "signOff", "requestExtension", "comment", "return"]);
  });
});
