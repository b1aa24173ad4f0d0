import { eq } from "drizzle-orm";
import { actorRoles, registerEntry } from "@countersign/domain";
import type { ActorRole, DepartmentCode } from "@countersign/domain";
import { appendAuditEvent, ensureRegisterDepartments, writeTransaction } from "@countersign/db";
import type { CountersignDb } from "@countersign/db";
import { departmentsTable, usersTable } from "@countersign/db/schema";
import { ServiceError } from "../../errors.js";
import { hashPassword } from "../auth/password.js";
import { auditActorOf } from "../shared/acting-user.js";
import type { ActingUser } from "../shared/acting-user.js";

export interface CreateUserInput {
  username: string;
  role: ActorRole;
  department: DepartmentCode | null;
  password: string;
  displayName?: string | undefined;
}

export const usernamePattern = /^[a-z0-9][a-z0-9._-]{1,31}$/;
export const minPasswordLength = 8;

/** Creates an account (from the command line, or the demo seed); `createdBy` is null for the command line. */
export async function createUser(
  db: CountersignDb,
  input: CreateUserInput,
  createdBy: ActingUser | null,
  now: Date,
): Promise<ActingUser> {
  const username = input.username.trim().toLowerCase();
  if (!usernamePattern.test(username)) {
    throw new ServiceError("invalid_input", "A username is 2–32 lower-case letters, digits, dots, dashes or underscores.", {
      field: "username",
    });
  }
  if (!actorRoles.includes(input.role)) {
    throw new ServiceError("invalid_input", `A role is one of ${actorRoles.join(", ")}.`, { field: "role" });
  }
  if ((input.role === "liaison" || input.role === "coordinator") && input.department === null) {
    throw new ServiceError("invalid_input", `A ${input.role} belongs to a department.`, { field: "department" });
  }
  if (input.password.length < minPasswordLength) {
    throw new ServiceError("invalid_input", `A password has at least ${minPasswordLength} characters.`, { field: "password" });
  }
  if (input.department !== null) {
    const known = db
      .select({ code: departmentsTable.code, retiredOn: departmentsTable.retiredOn })
      .from(departmentsTable)
      .where(eq(departmentsTable.code, input.department))
      .get();
    // A unit of the register of departments that the installation does not have yet joins it with its first account.
    if (known === undefined && registerEntry(input.department) === undefined) {
      throw new ServiceError("unknown_department", `There is no department ${input.department}.`, { field: "department" });
    }
    if (known?.retiredOn) {
      throw new ServiceError("invalid_input", `${input.department} was retired on ${known.retiredOn}.`, { field: "department" });
    }
  }
  const passwordHash = await hashPassword(input.password);
  const at = now.toISOString();
  return writeTransaction(db, (tx) => {
    if (input.department !== null) {
      ensureRegisterDepartments(tx, [input.department], at, {
        userId: createdBy?.id ?? null,
        username: createdBy?.username ?? null,
        role: createdBy?.role ?? "system",
      });
    }
    const taken = tx.select({ id: usersTable.id }).from(usersTable).where(eq(usersTable.username, username)).get();
    if (taken !== undefined) {
      throw new ServiceError("invalid_input", `The username ${username} is taken.`, { field: "username" });
    }
    const row = tx
      .insert(usersTable)
      .values({
        username,
        displayName: input.displayName ?? username,
        role: input.role,
        department: input.department,
        passwordHash,
        createdAt: at,
      })
      .returning()
      .get();
    appendAuditEvent(tx, {
      at,
      type: "user.created",
      ...auditActorOf(createdBy),
      department: row.department,
      payload: { username: row.username, role: row.role, department: row.department },
    });
    return { id: row.id, username: row.username, displayName: row.displayName, role: row.role, department: row.department };
  });
}
