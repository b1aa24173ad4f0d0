/**
 * The base procedures' middlewares hand the request's context on as it is (issue 17, writes): tRPC copies every field
 * of the context whenever a middleware passes a `ctx`, which cost a few per cent of every authenticated request.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Context } from "./context.js";
import { createHarness } from "./test-support/harness.js";
import type { Harness } from "./test-support/harness.js";
import { authedProcedure, coordinatorProcedure, createCallerFactory, router } from "./trpc.js";

const probe = router({
  authed: authedProcedure.query(({ ctx }) => ctx),
  coordinator: coordinatorProcedure.query(({ ctx }) => ctx),
});
const callerOf = createCallerFactory(probe);

describe("the authed and coordinator middlewares", () => {
  let h: Harness;
  afterEach(() => h.close());

  it("pass the request's context on without copying it, the user checked", async () => {
    h = await createHarness();
    const liaison: Context = h.context(h.user("mof"));
    expect(await callerOf(liaison).authed()).toBe(liaison);
    const coordinator: Context = h.context(h.user("miit"));
    expect(await callerOf(coordinator).coordinator()).toBe(coordinator);
    // Still refused: no user, and a liaison where a coordinator is needed.
    await expect(callerOf(h.context(null)).authed()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(callerOf(liaison).coordinator()).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
