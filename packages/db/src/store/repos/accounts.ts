import type { ActorRole, DepartmentRole } from "@countersign/domain";

/** An account as administration reads it (`users`): never the password hash. */
export interface AccountRecord {
  id: number;
  username: string;
  /** The legacy one-language name. */
  displayName: string;
  displayNameZh: string | null;
  displayNameEn: string | null;
  role: ActorRole;
  department: string | null;
  /** Null reads as "liaison" (issue 15). */
  departmentRole: DepartmentRole | null;
  divisionId: number | null;
  ssoIdentity: string | null;
  /** UTC ISO; null while enabled. */
  disabledAt: string | null;
  createdAt: string;
}

/** The fields of an account an administrator changes. */
export type AccountChange = Partial<
  Pick<AccountRecord, "displayName" | "displayNameZh" | "displayNameEn" | "role" | "department" | "departmentRole" | "divisionId" | "ssoIdentity" | "disabledAt">
>;

/**
 * Accounts as the administrator manages them (issue 15): create, change, disable, reset codes, and the counts the
 * account list shows. Ending an account's sessions is here because changing its rights does it in the same unit of
 * work. Audit events are the caller's (`tx.appendAuditEvent`).
 */
export interface AccountsRepo {
  byId(id: number): Promise<AccountRecord | undefined>;
  byUsername(username: string): Promise<AccountRecord | undefined>;
  /** The accounts with these ids (or every account), by user name. */
  list(ids?: readonly number[]): Promise<AccountRecord[]>;
  /** The user name holding a sign-in identity, other than account `exceptId`; undefined when free. */
  holderOfSsoIdentity(identity: string, exceptId: number | null): Promise<string | undefined>;
  /** How many administrator accounts are enabled (the last one may not lose the role or be disabled). */
  countEnabledAdmins(): Promise<number>;
  /** Adds an account; `createdAt` UTC ISO. Errors: the engine's unique violation (username, identity). */
  insert(row: Omit<AccountRecord, "id" | "departmentRole" | "divisionId" | "disabledAt"> & { passwordHash: string }): Promise<AccountRecord>;
  update(id: number, change: AccountChange): Promise<void>;
  /** Deletes every session of the account; resolves to how many there were. */
  endSessions(userId: number): Promise<number>;
  /** Per account, its sessions whose absolute expiry is after `at` (UTC ISO); accounts without any left out. */
  openSessionCounts(at: string): Promise<Array<{ userId: number; sessions: number }>>;
  /** The accounts with a reset code neither used nor expired at `at`. */
  withPendingReset(at: string): Promise<number[]>;
  /** Marks the account's unused reset codes used at `at`; resolves to how many. */
  voidResets(userId: number, at: string): Promise<number>;
  /** The reset code stored under this sha256 with its account's user name; undefined when there is none. */
  resetById(id: string): Promise<{ id: string; userId: number; usedAt: string | null; expiresAt: string; username: string } | undefined>;
  /** Spends the reset code at `at` if still unused; false when it was used (a racing redemption won). */
  spendReset(id: string, at: string): Promise<boolean>;
  /** Stores a reset code by its sha256 (`id`). */
  addReset(row: { id: string; userId: number; createdAt: string; expiresAt: string; createdByUserId: number | null }): Promise<void>;
  /** A department's enabled department accounts (role liaison, any part), by user name. */
  enabledMembersOf(department: string): Promise<AccountRecord[]>;
}
