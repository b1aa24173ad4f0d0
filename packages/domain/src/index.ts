// The public face of @countersign/domain. Named exports only, no `export *`, so every name is deliberate.
export type {
  Actor,
  ActorRole,
  AssignmentAction,
  AssignmentActionType,
  AssignmentEffect,
  AssignmentEvent,
  AssignmentEventType,
  AssignmentState,
  AssignmentStatus,
  Department,
  DepartmentCode,
  DepartmentRole,
  DepartmentSuccessor,
  DivisionRef,
  DueDate,
  HandlerRef,
  Justification,
  Lateness,
  Measure,
  MeasureContext,
  MeasureStatus,
  PendingApproval,
  PlanDocument,
  ProposedResponsibility,
  Refusal,
  RefusalCode,
  Responsibility,
  Role,
  Section,
  StatedDeadline,
  TransitionResult,
} from "./types.js";
export { actorRoles, assignmentStatuses, departmentRoles, latenessLevels, measureStatuses, roles } from "./types.js";
export { actionAvailability, actionPhrase, actionRules, allowedActions, handlerRefusal, leadReopenedEvent, stateExplanation, transition } from "./workflow.js";
export {
  acceptInputSchema,
  actionFieldNames,
  actionFieldOptional,
  approveInputSchema,
  assignHandlerInputSchema,
  assignmentActionOrder,
  assignmentActions,
  assignmentActionTypes,
  commentInputSchema,
  decideExtensionInputSchema,
  declineInputSchema,
  parseActionRequest,
  reaffirmInputSchema,
  reassignInputSchema,
  rejectInputSchema,
  remindInputSchema,
  reportProgressInputSchema,
  requestExtensionInputSchema,
  requestOf,
  returnInputSchema,
  signOffInputSchema,
  withdrawInputSchema,
} from "./actions.js";
export type { AssignmentActionInput, AssignmentRequest, AssignmentRequestOf } from "./actions.js";
export { auditEventSchemas, auditField, auditPayloadIssues, isAuditEventType, readAuditPayload } from "./audit-events.js";
export type { AuditEventSchemaType, AuditPayloadOf } from "./audit-events.js";
export { checkDivisionShape, departmentRoleOf, handlerReach } from "./department-roles.js";
export type { AssignmentPlacement, DivisionRefusalCode } from "./department-roles.js";
export type { ActionAvailability, ActionPerformer, ActionRule } from "./workflow.js";
export {
  addSupportingDepartment,
  changeLead,
  changeMeasureDeadline,
  deadlineRefusal,
  issueDeadlinesRefusal,
  issueDueDates,
  removeSupportingDepartment,
  withdrawPlan,
} from "./plan-change.js";
export type { MeasureAssignmentState, PlanChangeContext, PlanChangeResult, PlanChangeSet, PlanStatus } from "./plan-change.js";
export { decideMeasureClosure, deriveMeasureStatus } from "./measure-status.js";
export type { MeasureAssignment, MeasureClosureAction, MeasureClosureResult } from "./measure-status.js";
export { daysLate, latenessOf, latenessThresholds, owingStatuses } from "./lateness.js";
export {
  daysBetween,
  endOfPlanDay,
  formatPlanDate,
  formatPlanDateTime,
  isIsoDate,
  planCalendarDate,
  planTimeZoneName,
  planUtcOffsetHours,
} from "./dates.js";
export {
  buildDivisionTable,
  buildResponsibilityMatrix,
  columnName,
  divisionTableHeadings,
  formatDeadline,
  measureDueDates,
} from "./matrix.js";
export type {
  AssignmentOverlay,
  DivisionRow,
  Language,
  MatrixCell,
  MatrixColumn,
  MatrixGroup,
  MatrixInput,
  MatrixRow,
  MatrixTotals,
  ResponsibilityMatrix,
} from "./matrix.js";
export {
  assignmentRefSchema,
  departmentCodeSchema,
  dueDateSchema,
  isoDateSchema,
  maxTextLength,
  optionalTextSchema,
  requiredTextSchema,
  measureRefSchema,
  changeDeadlineInputSchema,
  addSupportingInputSchema,
  removeSupportingInputSchema,
  changeLeadInputSchema,
  withdrawPlanInputSchema,
} from "./schemas.js";
export { departmentByCode, departments, issuingDepartmentCodes } from "./departments.js";
export type { IssuingDepartmentCode } from "./departments.js";
export { defaultPlan, defaultPlanClosing, defaultPlanPreamble, textCutEvidence2020 } from "./plan-2020.js";
export type { TextCutEvidence } from "./plan-2020.js";
export { allMemberUnitsRule, proposedDivision2020, proposedDivisionFor } from "./proposed-division-2020.js";
export { parsePolicyDocument } from "./import/parse-policy-document.js";
export { addTranslationInputSchema, alignTranslation, textLanguageOf } from "./import/translation.js";
export type { AddTranslationInput, AlignedMeasureText, TranslationAlignment } from "./import/translation.js";
export type { ParseOptions } from "./import/parse-policy-document.js";
export { findResponsibilityNotes, maxNoteLength } from "./import/responsibility-notes.js";
export type { NotedUnit, ResponsibilityNote } from "./import/responsibility-notes.js";
export { deadlineAt, parseDeadline, pastDeadlineWarnings, statedDeadlineOf } from "./import/deadline.js";
export { DivisionTableError, divisionColumns, parseDivisionTable } from "./import/division-table.js";
export type { DivisionTableResult, TableColumn, TableOptions } from "./import/division-table.js";
export type { DraftDeadline } from "./import/deadline.js";
export { departmentRegister, namesOf, registerEntry } from "./register/departments-register.js";
export type { EarlierName, RegisterEntry, RegisterKind, RegisterSuccession } from "./register/departments-register.js";
export { buildNameIndex, closestEntries, defaultNameIndex, matchNameAt, tableNameIndex } from "./register/name-index.js";
export { traditionalForms } from "./register/traditional.generated.js";
export { maxRegisterQueryLength, registerHistory, searchRegister } from "./register/register-search.js";
export type { RegisterHistory, RegisterHit } from "./register/register-search.js";
export type { NameIndex, NameMatch } from "./register/name-index.js";
export { chineseNumeral, chineseNumeralValue } from "./import/numerals.js";
export { draftPlanCoverage } from "./import/draft-plan.js";
export type {
  CoverageOwner,
  DraftMeasure,
  DraftNote,
  DraftNotedUnit,
  DraftPlan,
  DraftSection,
  DraftWarning,
  DraftWarningKind,
  Span,
} from "./import/draft-plan.js";
export { departmentLexicon } from "./import/department-lexicon.js";
export type { DepartmentLexicon, DepartmentTerms } from "./import/department-lexicon.js";
export { findLexiconMatches, proposeDivision } from "./import/propose-division.js";
export type {
  DivisionProposal,
  DivisionResponsibility,
  ResponsibilitySource,
  LexiconMatch,
  MeasureDivisionProposal,
  ProposeDivisionOptions,
} from "./import/propose-division.js";
export {
  createPlanInputSchema,
  createPlanMeasureSchema,
  createPlanResponsibilitySchema,
  createPlanSectionSchema,
  importBodyLimitBytes,
  importFileSchema,
  importPlanInputSchema,
  importTextSchema,
  maxImportFileBytes,
  justificationSchema,
  maxImportTextBytes,
  utf8ByteLength,
} from "./import/plan-input.js";
export type { CreatePlanInput, ImportPlanInput } from "./import/plan-input.js";
export { isBlankText, normaliseText } from "./text.js";
export { parseSearchQuery, searchableText, searchTextLength } from "./search.js";
export type { SearchQuery } from "./search.js";
export { glossary, retiredTerms } from "./glossary.js";
export type { GlossaryTerms } from "./glossary.js";
export { buildProgressReport } from "./progress-report.js";
export type {
  DepartmentProgress,
  OverdueItem,
  ProgressAssignment,
  ProgressCounts,
  ProgressInput,
  ProgressReport,
  SectionProgress,
} from "./progress-report.js";
export { departmentView, replayAsOf } from "./as-of.js";
export type { AsOfInput, AsOfState, AssignmentAsOf, AssignmentRecord } from "./as-of.js";
export {
  applyEvent,
  asAssignmentStatus,
  assignmentDivergence,
  commentsDivergence,
  replayAssignments,
  replayClosedMeasures,
  unreplayedAssignment,
} from "./replay.js";
export type {
  ReplayedAssignment,
  ReplayedComment,
  StateDivergence,
  StoredAssignmentState,
  StoredComment,
  TrailEvent,
} from "./replay.js";
export { assignmentAccess, canSeeWordsOf, conversationDepartmentOf, inboxScope, inScope, readsDraftDivision, readsEveryDepartment } from "./policy.js";
export { assignmentEventAudience } from "./notices.js";
export type { NoticeRecipient } from "./notices.js";
export type { InboxScope, PlacedAssignment, Viewer } from "./policy.js";
export { personLabel } from "./person-label.js";
export type { Person, PersonLabel } from "./person-label.js";
export { checkNewPassword, normalisePassword, passwordCandidates, passwordLength, passwordRules } from "./password-policy.js";
export type { PasswordProblem, PasswordVerdict } from "./password-policy.js";
export { adminActs, checkAccountShape, checkDepartmentPart, mayChangeStanding, mayDoAccountAct, ownAccountActs } from "./admin-policy.js";
export type { AccountDecision, AccountRefusalCode, AccountStanding, AdminAct, OwnAccountAct } from "./admin-policy.js";
export {
  accountRefSchema,
  accountStatusInputSchema,
  addDepartmentInputSchema,
  changeOwnPasswordInputSchema,
  createAccountInputSchema,
  endAccountSessionInputSchema,
  endOwnSessionInputSchema,
  newPasswordSchema,
  redeemPasswordResetInputSchema,
  registerSearchInputSchema,
  renameDepartmentInputSchema,
  retireDepartmentInputSchema,
  sessionRefSchema,
  updateAccountInputSchema,
  usernamePattern,
  usernameSchema,
  createDivisionInputSchema,
  departmentPeopleInputSchema,
  setDepartmentPartInputSchema,
  setLeaderApprovalInputSchema,
} from "./account-schemas.js";
export type { CreateAccountInput, CreateDivisionInput, SetDepartmentPartInput, UpdateAccountInput } from "./account-schemas.js";
// Reporting rounds (定期调度), issue 14.
export {
  addMonths,
  allowedRoundReportActions,
  assignmentsInRoundScope,
  checkRoundDates,
  isLateSubmission,
  isPastDue,
  isRoundDueSoon,
  maxRoundReportHeadingLength,
  mayReadRoundReport,
  mayWriteRoundReport,
  nextRoundDates,
  nextRoundTitle,
  recurrenceMonths,
  roundDueForRollover,
  roundDueSoonDays,
  roundRecurrences,
  roundReportableStatuses,
  roundReportActionTypes,
  roundReportEventOf,
  roundReportHeadings,
  roundReportStanding,
  roundReportStandings,
  roundReportStatuses,
  roundReportTextVisible,
  roundReportTransition,
  isDepartmentOnlyRoundReport,
  departmentOnlyRoundReportStatuses,
  roundReportApprovalRequested,
  roundStandingsByDepartment,
  roundStatistics,
  roundStatisticsOfCounts,
  roundLateFrom,
  roundStandingCriterion,
  matchesRoundStanding,
  roundStatuses,
} from "./rounds.js";
export type {
  DepartmentStandings,
  RoundContext,
  RoundDates,
  RoundDatesCheck,
  RoundRecurrence,
  RoundRefusal,
  RoundRefusalCode,
  RoundReportAction,
  RoundReportActionType,
  RoundReportEventType,
  RoundReportHeading,
  RoundReportResult,
  RoundReportStanding,
  RoundReportState,
  RoundReportStatus,
  RoundReportText,
  RoundScope,
  RoundStatistics,
  RoundStatus,
  RoundReportCount,
  RoundStandingCriterion,
  ScopedAssignment,
} from "./rounds.js";
// Evidence files (佐证材料), issue 14.
export { actionsTakingFiles, actionTakesFiles, decideSupersede } from "./attachments.js";
export type { ActionTakingFiles, StoredFile, SupersedeRefusal } from "./attachments.js";
// Charts of the tracking page (issue 14 point 4).
export { defaultTrendWeeks, trackingTrend, weekStartOf } from "./trend.js";
export type { DepartmentOnTime, TrackingTrend, TrendInput, TrendWeek } from "./trend.js";
// Down the levels (转发), issue 16: organisations, forwarding, roll-up, access.
export { divisionSamples, provincialDivisions } from "./cascade/divisions.js";
export { proposalAmongMembers } from "./cascade/local-proposal.js";
export type { Division, DivisionKind, PrefectureSample, ProvinceSample } from "./cascade/divisions.js";
export {
  ancestorsOf,
  buildOrganisationTree,
  centralOnly,
  checkOrganisationTree,
  childrenOf,
  currentLineOf,
  defaultOrganisations,
  descendantsOf,
  isAncestor,
  localDepartmentsFor,
  localLineCodes,
  localLines,
  localOrganisation,
  nationalId,
  nationalOrganisation,
  organisationLevels,
  OrganisationTreeError,
} from "./cascade/organisations.js";
export type { LeadingGroupOffice, LocalDepartment, LocalLine, Organisation, OrganisationLevel, OrganisationTree, TreeProblem } from "./cascade/organisations.js";
export {
  addLocalMeasure,
  cascadePlanStatuses,
  cascadeRefusal,
  cascadeRefusalCodes,
  deriveLocalPlan,
  forwardPlan,
  issueCascadePlan,
  ownCascadePlan,
  pendingForwardings,
  setMeasureDeadline,
  setMeasureDivision,
  withinParentDeadline,
} from "./cascade/forwarding.js";
export type {
  CascadeActor,
  CascadeMeasure,
  CascadePlan,
  CascadePlanStatus,
  CascadeRefusal,
  CascadeRefusalCode,
  CascadeResponsibility,
  CascadeResult,
  DeriveContext,
  DerivedPlan,
  Forwarding,
  ForwardContext,
  ForwardRequest,
  IssueContext,
  LocalMeasureInput,
  MeasureOrigin,
} from "./cascade/forwarding.js";
export {
  centralDocumentNames,
  deriveFromLocalDocument,
  findCitations,
  findMeasureReferences,
  localNameIndex,
  localRegisterEntries,
  matchLocalMeasures,
  requireDepartmentDecisions,
  similarityMargin,
  similarityThreshold,
} from "./cascade/local-document.js";
export type {
  AncestorPlan,
  CentralMeasureText,
  Citation,
  DepartmentChoice,
  DocumentDerivedPlan,
  DocumentMeasureOutcome,
  LocalDocumentMeasure,
  LocalNotedUnit,
  MatchReason,
  MeasureMatch,
  UnrecognisedDepartment,
} from "./cascade/local-document.js";
export {
  indexCascade,
  isOverdue,
  ownProgressLevels,
  ownProgressOf,
  regionalCellOf,
  regionalCells,
  regionalView,
  rolledStateOf,
  upwardReports,
} from "./cascade/rollup.js";
export type { CascadeIndex, CascadeSnapshot, OwnProgress, RegionalCell, RegionalRow, RegionalView, RolledState, UpwardReport } from "./cascade/rollup.js";
export { cascadeAccessLevels, cascadePlanAccess, maySeeProgressOf, regionalViewFor, visiblePlans } from "./cascade/access.js";
export type { CascadeAccess } from "./cascade/access.js";
export { revalidatedQueries } from "./revalidated-queries.js";
export {
  allowedLevelReportActions,
  childRoundMeasureNumbers,
  levelReportAccess,
  levelReportActionTypes,
  levelReportEventOf,
  levelReportSeenAbove,
  levelReportFileSeenAbove,
  levelReportFileSeenAboveUntil,
  levelReportFileWithdrawal,
  levelReportFileWithdrawals,
  levelReportFileEventOf,
  levelReportStatusesWithChangeableFiles,
  levelReportActionTakesFiles,
  levelReportActionsTakingFiles,
  levelReportStanding,
  levelReportStandings,
  levelReportStatuses,
  levelReportStatusesSeenAbove,
  levelReportTransition,
  mayReturnLevelReport,
  maySignOffLevelReport,
  mayWriteLevelReport,
} from "./cascade/level-reports.js";
export type {
  LevelReportAction,
  LevelReportActionType,
  LevelReportActor,
  LevelReportContext,
  LevelReportEventType,
  LevelReportFileEventType,
  LevelReportFileState,
  LevelReportFileWithdrawal,
  LevelReportRefusal,
  LevelReportRefusalCode,
  LevelReportResult,
  LevelReportStanding,
  LevelReportState,
  LevelReportStatus,
} from "./cascade/level-reports.js";
