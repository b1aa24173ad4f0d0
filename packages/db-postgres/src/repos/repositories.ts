import type { Repositories } from "@countersign/db";
import type { PostgresDb } from "../connect.js";
import type { PostgresTx } from "../store.js";
import { postgresAssignmentsRepo } from "./assignments.js";
import { postgresAttachmentsRepo } from "./attachments.js";
import { postgresIdempotencyRepo } from "./idempotency.js";
import { postgresNoticesRepo } from "./notices.js";
import { postgresOrganisationsRepo } from "./organisations.js";

/** The PostgreSQL repositories on `db`: the pool (committed state, each statement on any pooled connection) or one transaction. */
export function postgresRepositories(db: PostgresDb | PostgresTx): Repositories {
  return {
    engine: "postgres",
    idempotency: postgresIdempotencyRepo(db),
    organisations: postgresOrganisationsRepo(db),
    assignments: postgresAssignmentsRepo(db),
    notices: postgresNoticesRepo(db),
    attachments: postgresAttachmentsRepo(db),
  };
}
