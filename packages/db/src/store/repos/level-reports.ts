import type { LevelReportStatus } from "@countersign/domain";

/** A level report (上报, issue 16 point 3) as stored: an organisation's report to the round one level up. */
export interface LevelReportRecord {
  id: number;
  parentRoundId: number;
  roundId: number;
  organisationId: string;
  parentOrganisationId: string;
  planId: number;
  status: LevelReportStatus;
  progress: string;
  problems: string;
  nextSteps: string;
  submittedProgress: string | null;
  submittedProblems: string | null;
  submittedNextSteps: string | null;
  /** JSON text of the compilation as signed off; null before the first sign-off. */
  compiled: string | null;
  submittedAt: string | null;
  signedOffByUserId: number | null;
  returnedReason: string | null;
  returnedAt: string | null;
  updatedAt: string;
  version: number;
}

/** A level report as a round opens it (status `not_reported`, empty text, version 1). */
export type NewLevelReport = Pick<LevelReportRecord, "parentRoundId" | "roundId" | "organisationId" | "parentOrganisationId" | "planId" | "updatedAt">;

/** What one act on a level report changes; `version` is moved on by the store. */
export type LevelReportChange = Partial<
  Pick<
    LevelReportRecord,
    | "status"
    | "progress"
    | "problems"
    | "nextSteps"
    | "submittedProgress"
    | "submittedProblems"
    | "submittedNextSteps"
    | "compiled"
    | "submittedAt"
    | "signedOffByUserId"
    | "returnedReason"
    | "returnedAt"
  >
> & { updatedAt: string };

/** One evidence file of a level report (佐证材料) as stored, without its bytes. */
export interface LevelReportFileRecord {
  id: number;
  levelReportId: number;
  name: string;
  /** The type found in the bytes. */
  contentType: string;
  sizeBytes: number;
  /** Hex SHA-256 of the bytes. */
  sha256: string;
  uploadedByUserId: number;
  /** UTC ISO time the act that brought it committed. */
  createdAt: string;
  /** UTC ISO time the office removed or replaced it; null while it is current. */
  withdrawnAt: string | null;
  /** The file that replaced it; null when removed or current. */
  supersededById: number | null;
  /** `database` (bytes in level_report_file_blobs) or an object store's kind, as the attachments' `storage`. */
  storage: string;
  /** The object store's key of its bytes; null in the database store. */
  storageKey: string | null;
}

/**
 * The level reports and what opening a round down the levels reads: the queries only (the rules are the domain's
 * cascade/level-reports.ts, the orchestration services/rounds).
 */
export interface LevelReportsRepo {
  /** The issued plans that implement `planId` (its organisations' implementation plans), with their organisation, by id. */
  implementingPlans(planId: number): Promise<Array<{ id: number; organisationId: string }>>;
  /** A plan's measures with the number (in the parent's plan) of the measure each implements; null for a local one. */
  measuresWithOrigin(planId: number): Promise<Array<{ number: number; originNumber: number | null }>>;
  /** Records a level report at version 1, status `not_reported`; resolves to its id. */
  insert(report: NewLevelReport): Promise<number>;
  find(id: number): Promise<LevelReportRecord | undefined>;
  /** The level report an organisation's round answers (undefined: a round of its own, not opened from above). */
  ofRound(roundId: number): Promise<LevelReportRecord | undefined>;
  /** The level reports owed to a round (its children's), by organisation id, then in the order opened. */
  toRound(parentRoundId: number): Promise<LevelReportRecord[]>;
  /** Applies `change` only if the report is still at `expectedVersion`; resolves to the new version, or undefined. */
  updateIfVersion(id: number, expectedVersion: number, change: LevelReportChange): Promise<number | undefined>;
  /** An organisation's office: the hosting department and whether it requires its leader's approval; undefined if unknown. */
  officeOf(organisationId: string): Promise<{ host: string; hostLeaderApproval: boolean } | undefined>;
  /**
   * Records one evidence file of a level report; its bytes beside it when `storage` is `database` (else they are
   * already in the object store under `storageKey`); resolves to its id.
   */
  recordFile(file: Omit<LevelReportFileRecord, "id" | "withdrawnAt" | "supersededById">, bytes: Buffer): Promise<number>;
  /** Whether a level report file names this object store key (the orphan sweep keeps an object only then). */
  storageKeyNamed(storageKey: string): Promise<boolean>;
  /**
   * Marks file `id` withdrawn at `at` (removed, or replaced by `supersededById`), only if it is still current; resolves
   * to whether it did (false: already withdrawn, or no such file). Nothing is deleted: its row and bytes stay.
   */
  withdrawFile(id: number, at: string, supersededById: number | null): Promise<boolean>;
  /** The evidence files of the given level reports, by report, then in the order stored. */
  filesOf(levelReportIds: readonly number[]): Promise<LevelReportFileRecord[]>;
  findFile(id: number): Promise<LevelReportFileRecord | undefined>;
  /** A file's bytes; undefined if none. */
  fileBytes(id: number): Promise<Buffer | undefined>;
  /** Organisations' names, by id. */
  organisationNames(ids: readonly string[]): Promise<Array<{ id: string; nameZh: string; nameEn: string }>>;
}
