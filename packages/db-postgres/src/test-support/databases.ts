import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { connectPostgres } from "../connect.js";
import type { PostgresConnection } from "../connect.js";
import { migratePostgres } from "../migrate.js";

/** A new, empty database on the test cluster; `drop` removes it (ending its connections). */
export async function freshDatabaseUrl(): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = inject("pgAdminUrl");
  const name = `cs_test_${randomBytes(6).toString("hex")}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`create database ${name}`);
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
