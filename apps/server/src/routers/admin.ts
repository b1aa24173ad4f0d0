import { organisationOfActor } from "../services/cascade/boundary.js";
import type { Repositories } from "@countersign/db";
import {
  accountRefSchema,
  accountStatusInputSchema,
  addDepartmentInputSchema,
  createAccountInputSchema,
  createDivisionInputSchema,
  setDepartmentPartInputSchema,
  setLeaderApprovalInputSchema,
  endAccountSessionInputSchema,
  planCalendarDate,
  registerSearchInputSchema,
  renameDepartmentInputSchema,
  retireDepartmentInputSchema,
  searchRegister,
  updateAccountInputSchema,
} from "@countersign/domain";
import { randomBytes } from "node:crypto";
import { ServiceError } from "../errors.js";
import { addDepartment, departmentViews, listDepartmentRows, renameDepartment, retireDepartment } from "../services/departments/manage-departments.js";
import { hashPassword } from "../services/auth/password.js";
import { requireAccountAct } from "../services/users/account-policy.js";
import { accountViewOf, accountViewsOf } from "../services/users/account-view.js";
import { endAccountSession, listAccountSessions } from "../services/users/account-sessions.js";
import { createAccount, setAccountDisabled, updateAccount } from "../services/users/manage-accounts.js";
import { issuePasswordReset } from "../services/users/password-reset.js";
import { createDivision, setDepartmentPart, setLeaderApproval } from "../services/users/department-parts.js";
import { authedProcedure, router } from "../trpc.js";

/**
 * Each act reads, decides and writes rows no version guards (the last administrator, a name not yet taken), so on
 * PostgreSQL it runs serializable: of two racing acts that together would break a rule, one is retried and refused.
 */
const decides = { isolation: "serializable" } as const;

/** An account by id as it is now (read in the unit of work that changed it); `not_found` when it vanished. */
async function shown(repos: Repositories, id: number, now: Date) {
  const view = await accountViewOf(repos, id, now);
  if (view === null) throw new ServiceError("not_found", `There is no account ${id}.`, { field: "id" });
  return view;
}

/** Account administration (issue 15): the administrator's only; each refusal is the domain's (admin-policy.ts). */
export const adminRouter = router({
  // Inside a department (issue 15, point 2): divisions, people's parts, the leader's approval rule.
  /** Creates a division (处室) of a department. */
  createDivision: authedProcedure.input(createDivisionInputSchema).mutation(({ ctx, input }) => {
    requireAccountAct(ctx.user, "manage_divisions");
    const now = ctx.now();
    return ctx.store.transaction((tx) => createDivision(tx, input, ctx.user, now), decides);
  }),
  /** Makes a department account its liaison, a handler of one of its divisions, or its leader; ends its sessions. */
  setDepartmentPart: authedProcedure.input(setDepartmentPartInputSchema).mutation(async ({ ctx, input }) => {
    requireAccountAct(ctx.user, "manage_divisions");
    const now = ctx.now();
    return ctx.store.transaction(async (tx) => {
      const result = await setDepartmentPart(tx, input, ctx.user, now);
      return { account: await shown(tx.repos, input.id, now), ...result };
    }, decides);
  }),
  /** Whether the department's sign-offs and extension requests wait for its leader's approval. */
  setLeaderApproval: authedProcedure.input(setLeaderApprovalInputSchema).mutation(({ ctx, input }) => {
    requireAccountAct(ctx.user, "manage_divisions");
    const now = ctx.now();
    return ctx.store.transaction((tx) => setLeaderApproval(tx, input.department, input.required, ctx.user, now), decides);
  }),

  /** Every account, by user name, with open sessions and pending reset. */
  accounts: authedProcedure.query(({ ctx }) => {
    requireAccountAct(ctx.user, "list_accounts");
    const now = ctx.now();
    return ctx.store.read((repos) => accountViewsOf(repos, now));
  }),

  /**
   * Creates an account without a password: the answer carries a one-time code (shown once) with which the owner sets
   * their own, so the administrator never knows it.
   */
  create: authedProcedure.input(createAccountInputSchema).mutation(async ({ ctx, input }) => {
    requireAccountAct(ctx.user, "create_account");
    // A hash of a secret nobody holds: the account cannot sign in with a password until the code is redeemed. Hashed
    // before the unit of work opens: it awaits only the store.
    const placeholder = await hashPassword(randomBytes(32).toString("base64url"));
    const now = ctx.now();
    return ctx.store.transaction(async (tx) => {
      const created = await createAccount(tx, input, placeholder, ctx.user, now);
      const reset = await issuePasswordReset(tx, created.id, ctx.user, now);
      return { account: await shown(tx.repos, created.id, now), reset };
    }, decides);
  }),

  /** Changes names, role, department and sign-in identity; a change of role or department ends the account's sessions. */
  update: authedProcedure.input(updateAccountInputSchema).mutation(({ ctx, input }) => {
    requireAccountAct(ctx.user, "edit_account");
    const now = ctx.now();
    return ctx.store.transaction(async (tx) => {
      const result = await updateAccount(tx, input, ctx.user, now);
      return { account: await shown(tx.repos, input.id, now), ...result };
    }, decides);
  }),

  /** Refuses sign-in from now on and ends every session of the account. */
  disable: authedProcedure.input(accountStatusInputSchema).mutation(({ ctx, input }) => {
    requireAccountAct(ctx.user, "disable_account");
    const now = ctx.now();
    return ctx.store.transaction(async (tx) => {
      const result = await setAccountDisabled(tx, input.id, true, input.reason, ctx.user, now);
      return { account: await shown(tx.repos, input.id, now), ...result };
    }, decides);
  }),

  /** Lets a disabled account sign in again. */
  enable: authedProcedure.input(accountStatusInputSchema).mutation(({ ctx, input }) => {
    requireAccountAct(ctx.user, "enable_account");
    const now = ctx.now();
    return ctx.store.transaction(async (tx) => {
      const result = await setAccountDisabled(tx, input.id, false, input.reason, ctx.user, now);
      return { account: await shown(tx.repos, input.id, now), ...result };
    }, decides);
  }),

  /** Issues a one-time reset code (24 hours, single use; earlier codes voided): shown in this answer only. */
  resetPassword: authedProcedure.input(accountRefSchema).mutation(({ ctx, input }) => {
    requireAccountAct(ctx.user, "reset_password");
    const now = ctx.now();
    return ctx.store.transaction((tx) => issuePasswordReset(tx, input.id, ctx.user, now), decides);
  }),

  /** The account's open sessions. */
  sessions: authedProcedure.input(accountRefSchema).query(async ({ ctx, input }) => {
    requireAccountAct(ctx.user, "list_sessions");
    const { sessionId } = ctx;
    const now = ctx.now();
    return ctx.store.read(async (repos) => {
      if ((await repos.accounts.byId(input.id)) === undefined) throw new ServiceError("not_found", `There is no account ${input.id}.`, { field: "id" });
      return listAccountSessions(repos, input.id, sessionId, now);
    });
  }),

  /** Ends one session of the account. */
  endSession: authedProcedure.input(endAccountSessionInputSchema).mutation(async ({ ctx, input }) => {
    requireAccountAct(ctx.user, "end_session");
    const now = ctx.now();
    await ctx.store.transaction((tx) => endAccountSession(tx, input.id, input.session, ctx.user, now));
    return { ok: true as const };
  }),

  // The installation's departments (issue 11): kept, never deleted; each change audited with the administrator.

  /** Every department of the installation: names, register kind, the register's history, retired date. */
  departments: authedProcedure.query(({ ctx }) => {
    requireAccountAct(ctx.user, "list_departments");
    // The administrator's organisation's departments (the local registers are each organisation's own).
    return ctx.store.read(async (repos) => departmentViews(repos, await organisationOfActor(repos, ctx.user)));
  }),

  /** Register units whose names contain the query (any name, either script, English or code), then the closest. */
  registerSearch: authedProcedure.input(registerSearchInputSchema).query(async ({ ctx, input }) => {
    requireAccountAct(ctx.user, "list_departments");
    const present = new Set((await ctx.store.read((repos) => listDepartmentRows(repos))).map((d) => d.code));
    return searchRegister(input.query, 8).map((hit) => ({ ...hit, present: present.has(hit.code) }));
  }),

  /** Adds a register unit by its code, or another unit with its names (kind "custom"). */
  addDepartment: authedProcedure.input(addDepartmentInputSchema).mutation(({ ctx, input }) => {
    requireAccountAct(ctx.user, "add_department");
    const now = ctx.now();
    return ctx.store.transaction((tx) => addDepartment(tx, input, ctx.user, now), decides);
  }),

  /** Changes any of a department's four names; later starts keep them. */
  renameDepartment: authedProcedure.input(renameDepartmentInputSchema).mutation(({ ctx, input }) => {
    requireAccountAct(ctx.user, "rename_department");
    const now = ctx.now();
    return ctx.store.transaction((tx) => renameDepartment(tx, input, ctx.user, now), decides);
  }),

  /** Retires a department from a day (default today, Beijing): kept for existing plans, offered for no new one. */
  retireDepartment: authedProcedure.input(retireDepartmentInputSchema).mutation(({ ctx, input }) => {
    requireAccountAct(ctx.user, "retire_department");
    const now = ctx.now();
    return ctx.store.transaction((tx) => retireDepartment(tx, { code: input.code, on: input.on ?? planCalendarDate(now) }, ctx.user, now), decides);
  }),
});
