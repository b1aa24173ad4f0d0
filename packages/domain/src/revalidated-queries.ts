/**
 * The API queries whose answers are a function of the data version, the signed-in user, the plan calendar day
 * (lateness is counted in Beijing calendar days, never finer) and the input, and of nothing else: the server answers
 * them with an ETag and from its answer cache (apps/server/src/http-cache), and the web client batches them apart
 * from other queries so that a batch of them can be revalidated (issue 17). A query that reads the clock more
 * finely, another store (attachments in S3), or data written without an audit event must not be listed.
 */
export const revalidatedQueries: ReadonlySet<string> = new Set([
  "inbox.list",
  "inbox.plans",
  "inbox.unreadCount",
  "tracking.overview",
  "tracking.overdue",
  "matrix.get",
  "audit.list",
  "catalog.departments",
  "catalog.plans",
  "catalog.planPage",
  "catalog.plan",
]);
