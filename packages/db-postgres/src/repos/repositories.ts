import type { Repositories } from "@countersign/db";
import type { PostgresDb } from "../connect.js";
import type { PostgresTx } from "../store.js";
import { postgresIdempotencyRepo } from "./idempotency.js";
import { postgresOrganisationsRepo } from "./organisations.js";
import { postgresInboxRepo } from "./inbox.js";
import { postgresNotificationsRepo } from "./notifications.js";
import { postgresAssignmentViewsRepo } from "./assignment-views.js";

/** The PostgreSQL repositories on `db`: the pool (committed state, each statement on any pooled connection) or one transaction. */
export function postgresRepositories(db: PostgresDb | PostgresTx): Repositories {
  return {
    engine: "postgres",
    idempotency: postgresIdempotencyRepo(db),
    organisations: postgresOrganisationsRepo(db),
    inbox: postgresInboxRepo(db),
    notifications: postgresNotificationsRepo(db),
    assignmentViews: postgresAssignmentViewsRepo(db),
  };
}
