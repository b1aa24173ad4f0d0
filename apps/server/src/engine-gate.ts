import type { CountersignDb } from "@countersign/db";
import { ServiceError } from "./errors.js";

/**
 * What `ServerDeps.db` is on PostgreSQL while the services move onto the store seam (issue 13): the synchronous
 * SQLite handle the unconverted services still take, standing in as an object that refuses every use with
 * `not_on_this_engine` (501). A procedure that still reads or writes SQLite directly thus answers "not available on
 * PostgreSQL" instead of touching a database the deployment does not use; converted ones go through `ctx.store`.
 * Errors: every property read, call or `in` test throws `ServiceError("not_on_this_engine")`.
 */
export function sqliteOnlyOnPostgres(): CountersignDb {
  const refuse = (): never => {
    throw new ServiceError(
      "not_on_this_engine",
      "This function is not yet available on PostgreSQL: it still runs only on the embedded SQLite database.",
    );
  };
  // The target is never reached: every trap refuses. The type is the handle the unconverted services are typed on.
  const target: CountersignDb = Object.create(null);
  return new Proxy(target, { get: refuse, has: refuse, set: refuse, apply: refuse, ownKeys: refuse, getPrototypeOf: refuse });
}
