import { describe, expect, it } from "vitest";
import { parseDeadline, statedDeadlineOf } from "./deadline.js";

describe("statedDeadlineOf", () => {
  it("keeps the due date a draft's deadline means and its wording; none stays none", () => {
    expect(statedDeadlineOf(parseDeadline("2030年底前"))).toEqual({ dueDate: "2030-12-31", stated: "2030年底前" });
    expect(statedDeadlineOf(parseDeadline("2029年6月底前"))).toEqual({ dueDate: "2029-06-30", stated: "2029年6月底前" });
    expect(statedDeadlineOf(parseDeadline("持续推进"))).toEqual({ dueDate: "ongoing", stated: "持续推进" });
    expect(statedDeadlineOf(parseDeadline("长期坚持"))).toEqual({ dueDate: "ongoing", stated: "长期坚持" });
    expect(statedDeadlineOf(null)).toBeNull();
  });
});
