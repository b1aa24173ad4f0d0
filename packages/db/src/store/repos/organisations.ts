/**
 * Which organisation (level of government, issue 16) owns what: the reads behind the organisation boundary of every
 * procedure and of the live stream (apps/server services/cascade/boundary.ts). Organisation ids are the tree's codes
 * ("CN" national, "CN-ZJ" …).
 */
export interface OrganisationsRepo {
  /** The plan of an assignment, round or round report; undefined when there is no such row. */
  planOfAssignment(assignmentId: number): Promise<number | undefined>;
  planOfRound(roundId: number): Promise<number | undefined>;
  planOfRoundReport(reportId: number): Promise<number | undefined>;
  /** The organisation owning a plan; undefined when there is no such plan. */
  organisationOfPlan(planId: number): Promise<string | undefined>;
  /** The organisation of a department by code; undefined when there is no such department. */
  organisationOfDepartment(code: string): Promise<string | undefined>;
  /** An account's own organisation and its department's (null without one); undefined when there is no such account. */
  organisationsOfUser(userId: number): Promise<{ account: string; department: string | null } | undefined>;
  /** The parent of an organisation: null for the national level or an unknown id. */
  parentOf(organisation: string): Promise<string | null>;
  /** Whether `planId` was forwarded (转发) to `organisation`. */
  isForwardedTo(planId: number, organisation: string): Promise<boolean>;
}
