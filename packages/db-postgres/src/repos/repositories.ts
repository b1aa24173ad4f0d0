import type { Repositories } from "@countersign/db";
import type { PostgresDb } from "../connect.js";
import type { PostgresTx } from "../store.js";
import { postgresAuditTrailRepo } from "./audit-trail.js";
import { postgresCatalogRepo } from "./catalog.js";
import { postgresIdempotencyRepo } from "./idempotency.js";
import { postgresOrganisationsRepo } from "./organisations.js";
import { postgresProgressRepo } from "./progress.js";

/** The PostgreSQL repositories on `db`: the pool (committed state, each statement on any pooled connection) or one transaction. */
export function postgresRepositories(db: PostgresDb | PostgresTx): Repositories {
  return {
    engine: "postgres",
    auditTrail: postgresAuditTrailRepo(db),
    catalog: postgresCatalogRepo(db),
    idempotency: postgresIdempotencyRepo(db),
    organisations: postgresOrganisationsRepo(db),
    progress: postgresProgressRepo(db),
  };
}
