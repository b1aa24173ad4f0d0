import * as OpenCC from "opencc-js";
import { describe, expect, it } from "vitest";
import { departments } from "../departments.js";
import { departmentRegister, namesOf, registerEntry } from "./departments-register.js";
import { buildNameIndex, closestEntries, matchNameAt } from "./name-index.js";
import { traditionalForms } from "./traditional.generated.js";

const tw = OpenCC.Converter({ from: "cn", to: "tw" });
const hk = OpenCC.Converter({ from: "cn", to: "hk" });
// As the server converts (apps/server/src/services/plan/script.ts): Taiwan, then Hong Kong forms.
const fromTw = OpenCC.Converter({ from: "tw", to: "cn" });
const fromHk = OpenCC.Converter({ from: "hk", to: "cn" });
const toSimplified = (s: string): string => fromHk(fromTw(s));
const index = buildNameIndex();

describe("the register of departments", () => {
  it("has unique codes, the 17 of 2020 with their codes, every State Council ministry and the common co-signers", () => {
    const codes = departmentRegister.map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const d of departments) expect(registerEntry(d.code)?.nameZh).toBe(d.nameZh);
    expect(departmentRegister.filter((e) => e.kind === "ministry" && e.successor === null)).toHaveLength(26);
    for (const code of ["MOE", "MPS", "MOHURD", "NAFR", "SASAC", "SPC", "SPP", "ACFIC", "CYLC", "ACWF", "LOCAL"]) expect(registerEntry(code)).toBeDefined();
    expect(registerEntry("MOHURD")?.shortZh).toBe("住房城乡建设部");
    expect(registerEntry("NDRC")?.shortZh).toBe("发展改革委");
    expect(registerEntry("MOHRSS")?.shortZh).toBe("人力资源社会保障部");
    expect(registerEntry("NAFR")?.shortZh).toBe("金融监管总局");
  });

  it("names successors that exist, without cycles, and dates every succession", () => {
    for (const e of departmentRegister) {
      const seen = new Set([e.code]);
      let next = e.successor;
      while (next) {
        expect(registerEntry(next.code)).toBeDefined();
        expect(next.since).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(seen.has(next.code)).toBe(false);
        seen.add(next.code);
        next = registerEntry(next.code)?.successor ?? null;
      }
    }
  });

  it("resolves every name of every unit to that unit (no name is shadowed by another unit's)", () => {
    for (const e of departmentRegister) {
      for (const { name } of namesOf(e)) {
        const m = matchNameAt(index, name, 0, null);
        expect({ name, code: m?.namedCode, end: m?.end }).toEqual({ name, code: e.code, end: name.length });
      }
    }
  });

  it("keeps traditional forms derived with opencc-js, up to date, each read back to its unit", () => {
    for (const e of departmentRegister) {
      const derived = new Set<string>();
      for (const { name } of namesOf(e)) for (const f of [tw(name), hk(name)]) if (f !== name) derived.add(f);
      expect({ code: e.code, forms: traditionalForms[e.code] }).toEqual({ code: e.code, forms: [...derived] });
      for (const form of derived) expect(matchNameAt(index, toSimplified(form), 0, null)?.namedCode).toBe(e.code);
    }
  });

  it("offers the closest entries for a name it does not know", () => {
    expect(closestEntries(index, "住房和城乡建设厅")[0]).toBe("MOHURD");
    expect(closestEntries(index, "国家金融监管局")[0]).toBe("NAFR");
  });
});
