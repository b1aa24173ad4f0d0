import type { ActorRole, DepartmentRole } from "@countersign/domain";

/** One row of `sessions`: a signed-in browser. `id` is the sha256 of the cookie's token; times are UTC ISO. */
export interface SessionRow {
  id: string;
  userId: number;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
}

/** What a request's session lookup needs, read in one statement: the session's times and its account. */
export interface SessionWithAccount {
  lastSeenAt: string;
  expiresAt: string;
  id: number;
  username: string;
  displayName: string;
  role: ActorRole;
  department: string | null;
  departmentRole: DepartmentRole | null;
  divisionId: number | null;
  disabledAt: string | null;
  /** The account's own organisation (issue 16). */
  accountOrganisation: string;
  /** The organisation of the account's department, null without one. */
  departmentOrganisation: string | null;
}

/** An account as signing in reads it (the password hash included: never returned to a client). */
export interface SignInAccount {
  id: number;
  username: string;
  displayName: string;
  role: ActorRole;
  department: string | null;
  departmentRole: DepartmentRole | null;
  divisionId: number | null;
  passwordHash: string;
  disabledAt: string | null;
}

/** A browser known to an account (`known_devices`), with the account's username. */
export interface KnownDeviceRow {
  userId: number;
  lastSignInAt: string;
  username: string;
}

/** The names a signed-in user's answer (`auth.me`) shows, beside the session's account. */
export interface SignedInNames {
  displayNameZh: string | null;
  displayNameEn: string | null;
  department: { nameEn: string; nameZh: string; shortEn: string; shortZh: string } | null;
}

/**
 * Sessions, the accounts signing in reads, and known devices (services/auth): every instance on the database sees
 * the same sessions, so a browser signed in through one is signed in on all.
 */
export interface SessionsRepo {
  /** The session with this stored id and its account; undefined when there is none. */
  withAccount(sessionId: string): Promise<SessionWithAccount | undefined>;
  /** The session's times; undefined when it has ended. */
  timesOf(sessionId: string): Promise<{ lastSeenAt: string; expiresAt: string } | undefined>;
  /** The account's sessions, oldest first. */
  listOf(userId: number): Promise<SessionRow[]>;
  open(row: SessionRow): Promise<void>;
  /** Sets the session's last-seen time (UTC ISO). */
  touch(sessionId: string, at: string): Promise<void>;
  /** Ends one session; nothing when it has ended already. */
  end(sessionId: string): Promise<void>;
  /** Ends every session of the account except `keep` (null: all); resolves with the number ended. */
  endAllOf(userId: number, keep: string | null): Promise<number>;

  /** The account with this username (lower case), or undefined. */
  accountNamed(username: string): Promise<SignInAccount | undefined>;
  /** The account whose single-sign-on identity is `identity`, or undefined. */
  accountWithSsoIdentity(identity: string): Promise<SignInAccount | undefined>;
  /** The account named `username` that has no single-sign-on identity of its own, or undefined. */
  accountNamedWithoutSsoIdentity(username: string): Promise<SignInAccount | undefined>;
  accountById(userId: number): Promise<SignInAccount | undefined>;
  /** Stores a new password hash (scrypt, as services/auth/password.ts writes it). */
  setPasswordHash(userId: number, passwordHash: string): Promise<void>;
  /** The names `auth.me` answers with; undefined when there is no such account. */
  namesOf(userId: number): Promise<SignedInNames | undefined>;

  /** The known device with this stored id (sha256 of its cookie's token), or undefined. */
  knownDevice(deviceId: string): Promise<KnownDeviceRow | undefined>;
  /** Sets a known device's last sign-in time (UTC ISO). */
  touchKnownDevice(deviceId: string, at: string): Promise<void>;
  addKnownDevice(row: { id: string; userId: number; createdAt: string; lastSignInAt: string }): Promise<void>;
  /** Forgets the account's known devices beyond the `keep` most recently signed in with. */
  keepNewestKnownDevices(userId: number, keep: number): Promise<void>;
}
