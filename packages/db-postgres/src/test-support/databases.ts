import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { connectPostgres } from "../connect.js";
import type { PostgresConnection } from "../connect.js";
import { migratePostgres } from "../migrate.js";

// The database names this module creates (and so may be given back as a template): nothing to quote.
const plainName = /^[a-z_][a-z0-9_]*$/;

/**
 * A new database on the test cluster; `drop` removes it (ending its connections). Empty, or with `template` (the name
 * of a database of the same cluster, e.g. one this function made) a file-level copy of that database
 * (`create database … template`, much faster than filling it again; no one may be connected to the template
 * meanwhile, or PostgreSQL refuses). Throws on a template name that is not a plain lower-case identifier.
 */
export async function freshDatabaseUrl(options: { template?: string } = {}): Promise<{ url: string; drop: () => Promise<void> }> {
  const { template } = options;
  if (template !== undefined && !plainName.test(template)) throw new Error(`not a plain database name: ${template}`);
  const admin = inject("pgAdminUrl");
  const name = `cs_test_${randomBytes(6).toString("hex")}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(template === undefined ? `create database ${name}` : `create database ${name} template ${template}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** A fresh database with the migrations applied, and a function that closes and drops it. */
export async function migratedDatabase(): Promise<{ connection: PostgresConnection; url: string; dispose: () => Promise<void> }> {
  const { url, drop } = await freshDatabaseUrl();
  const connection = connectPostgres(url);
  await migratePostgres(connection);
  return {
    connection,
    url,
    dispose: async () => {
      await connection.close();
      await drop();
    },
  };
}
