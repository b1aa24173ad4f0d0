import { createAccountInputSchema, normaliseText } from "@countersign/domain";
import type { ActorRole, DepartmentCode } from "@countersign/domain";
import { createSqliteStore } from "@countersign/db";
import type { AnyStore, CountersignDb } from "@countersign/db";
import { ServiceError } from "../../errors.js";
import { assertAcceptablePassword } from "../auth/common-passwords.js";
import { hashPassword } from "../auth/password.js";
import type { ActingUser } from "../shared/acting-user.js";
import { createAccount } from "./manage-accounts.js";

export interface CreateUserInput {
  username: string;
  role: ActorRole;
  department: DepartmentCode | null;
  password: string;
  /** A name in one language (Chinese when it has a Chinese character, else English); the two below take precedence. */
  displayName?: string | undefined;
  displayNameZh?: string | null | undefined;
  displayNameEn?: string | null | undefined;
}

/**
 * `createUserInStore` on a SQLite connection (the demo seed and the tests that build a SQLite database), in a unit of
 * work of its own on the store seam over `db`.
 */
export async function createUser(db: CountersignDb, input: CreateUserInput, createdBy: ActingUser | null, now: Date): Promise<ActingUser> {
  return createUserInStore(createSqliteStore({ db, sqlite: db.$client }), input, createdBy, now);
}

/**
 * Creates an account with the owner's chosen password (the command line on either engine, the demo seed);
 * `createdBy` is null for the command line. The password must pass the rules (`weak_password`); without any display
 * name, the username stands as the English one. The password is hashed before the unit of work opens (scrypt is
 * slow; the unit of work may run twice on PostgreSQL). Errors: invalid_input, weak_password, and those of
 * `createAccount`.
 */
export async function createUserInStore(store: AnyStore, input: CreateUserInput, createdBy: ActingUser | null, now: Date): Promise<ActingUser> {
  const legacy = normaliseText(input.displayName ?? "");
  const legacyIsZh = /\p{Script=Han}/u.test(legacy);
  const parsed = createAccountInputSchema.safeParse({
    username: input.username,
    role: input.role,
    department: input.department,
    displayNameZh: input.displayNameZh ?? (legacyIsZh ? legacy : null),
    displayNameEn: input.displayNameEn ?? (legacy !== "" && !legacyIsZh ? legacy : null),
    ssoIdentity: null,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ServiceError("invalid_input", issue?.message ?? "Invalid account.", { field: String(issue?.path[0] ?? "username") });
  }
  const account = parsed.data.displayNameZh === null && parsed.data.displayNameEn === null ? { ...parsed.data, displayNameEn: parsed.data.username } : parsed.data;
  await assertAcceptablePassword(input.password, account.username, "password");
  const passwordHash = await hashPassword(input.password);
  // The administrator's `createAccount`, in a unit of work of its own.
  return store.transaction((tx) => createAccount(tx, account, passwordHash, createdBy, now));
}
