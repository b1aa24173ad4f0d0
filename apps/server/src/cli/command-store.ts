import { createSqliteStore, loadDefaultPlan, openDatabase, resolveDatabasePath } from "@countersign/db";
import type { AnyStore, Engine } from "@countersign/db";
import { postgresUrlOf, shownDatabaseUrl } from "../config.js";
import type { CliIo } from "./command.js";

/** The database a command works on, through the store seam, whichever the engine. */
export interface CommandStore {
  engine: Engine;
  store: AnyStore;
  /** Where the data is, as printed: the SQLite file's path, or the PostgreSQL URL with its password hidden. */
  shown: string;
  /** Waits for the store's units of work, then closes the connection (the file, or the pool). */
  close(): Promise<void>;
}

/**
 * Opens the database a command names, as the server would: PostgreSQL when `DATABASE_URL=postgres://…` is set, else
 * the SQLite file `DATABASE_PATH` (default ./data/countersign.sqlite), migrated either way. With `firstStart`, a
 * database without the default plan gets it, as at a server's first start: on SQLite `loadDefaultPlan`; on an empty
 * PostgreSQL database the same seed the server copies in (`seedEmptyDatabase`; a database holding data is left alone).
 * Errors: an Error for a DATABASE_URL that is not postgres://; the engine's own (unreachable server, migrations).
 */
export async function openCommandStore(io: CliIo, options: { firstStart?: boolean } = {}): Promise<CommandStore> {
  const url = postgresUrlOf(io.env["DATABASE_URL"]);
  if (url === null) {
    const database = openDatabase(resolveDatabasePath(io.env));
    try {
      if (options.firstStart === true) loadDefaultPlan(database.db);
    } catch (error) {
      database.close();
      throw error;
    }
    const store = createSqliteStore(database);
    return {
      engine: "sqlite",
      store,
      shown: database.path,
      close: async () => {
        await store.close();
        database.close();
      },
    };
  }
  const { connectPostgres, createPostgresStore, migratePostgres, seedEmptyDatabase } = await import("@countersign/db-postgres");
  // Three connections: seedEmptyDatabase holds its lock on one while the migrations and the copy use others.
  const connection = connectPostgres(url, { maxConnections: 3 });
  try {
    if (options.firstStart === true) {
      const { firstStartFile } = await import("../start.js");
      let dispose = (): void => undefined;
      await seedEmptyDatabase(connection, async () => {
        const file = await firstStartFile(false);
        dispose = file.dispose;
        return { sqlitePath: file.sqlitePath, built: null };
      }).finally(() => dispose());
    } else {
      await migratePostgres(connection);
    }
  } catch (error) {
    await connection.close();
    throw error;
  }
  const store = createPostgresStore(connection);
  return {
    engine: "postgres",
    store,
    shown: shownDatabaseUrl(url),
    close: async () => {
      await store.close();
      await connection.close();
    },
  };
}
