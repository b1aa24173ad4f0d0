/**
 * `cli matrix`: the exports of the HTTP downloads, written from the database (the SQLite file, or PostgreSQL when
 * DATABASE_URL is set) without a running server, with the operator's full view (whoever can read the database can
 * read every department's work anyway).
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { createSqliteStore, loadDefaultPlan, openDatabase, resolveDatabasePath } from "@countersign/db";
import type { AnyStore } from "@countersign/db";
import { closePdfRenderer } from "@countersign/exports";
import { postgresUrlOf, shownDatabaseUrl } from "../config.js";
import { buildExport } from "../exports/build-export.js";
import { exportFileOf, exportFiles } from "../exports/export-files.js";
import { exportInputOfQuery, exportInputSchema, planIdOrDefault } from "../exports/export-query.js";
import { printRefusal } from "./command.js";
import type { CliCommand, CliIo } from "./command.js";

const help = `usage: cli matrix --format xlsx|csv|pdf --out <file|-> [--lang zh|en] [--plan <id>] [--department <CODE>]
                   [--status] [--as-of YYYY-MM-DD] [--report matrix|division|progress]
Writes the responsibility matrix (or the task-division table, or the progress report) of a plan from the database
(DATABASE_PATH, default ./data/countersign.sqlite; PostgreSQL when DATABASE_URL=postgres://… is set). --status overlays the assignments' states; --as-of shows them as
they stood at the end of that day (Beijing time), rebuilt from the audit trail. --out - writes to standard output.
Files: ${Object.keys(exportFiles).join(", ")}.`;

function parseOptions(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        format: { type: "string" },
        lang: { type: "string" },
        plan: { type: "string" },
        department: { type: "string" },
        status: { type: "boolean" },
        "as-of": { type: "string" },
        report: { type: "string" },
        out: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }).values;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** The database an export reads: its store, how to name it in the output, and how to close it. */
interface ExportDatabase {
  store: AnyStore;
  shown: string;
  close(): Promise<void>;
}

/**
 * PostgreSQL when DATABASE_URL is set (used as it is: the server's start migrates and seeds it), else the SQLite
 * file, opened (and migrated) with the default plan loaded as the server's first start does.
 */
async function openExportDatabase(env: NodeJS.ProcessEnv): Promise<ExportDatabase> {
  const url = postgresUrlOf(env["DATABASE_URL"]);
  if (url !== null) {
    const { connectPostgres, createPostgresStore } = await import("@countersign/db-postgres");
    const connection = connectPostgres(url, { maxConnections: 2 });
    return { store: createPostgresStore(connection), shown: shownDatabaseUrl(url), close: () => connection.close() };
  }
  const database = openDatabase(resolveDatabasePath(env));
  try {
    loadDefaultPlan(database.db);
  } catch (error) {
    database.close();
    throw error;
  }
  return {
    store: createSqliteStore(database),
    shown: database.path,
    close: async () => database.close(),
  };
}

export const matrixCommand: CliCommand = {
  async run(args: string[], io: CliIo): Promise<number> {
    const parsedArgs = parseOptions(args);
    if (parsedArgs instanceof Error) {
      io.stderr.write(`${parsedArgs.message}\n\n${help}\n`);
      return 2;
    }
    const values = parsedArgs;
    if (values.help === true) {
      io.stdout.write(`${help}\n`);
      return 0;
    }
    if (values.format === undefined || values.out === undefined) {
      io.stderr.write(`${help}\n`);
      return 2;
    }
    const file = exportFileOf(values.report ?? "matrix", values.format);
    if (file === null) {
      io.stderr.write(`cannot write ${values.report ?? "matrix"} as ${values.format}; one of: ${Object.keys(exportFiles).join(", ")}\n`);
      return 2;
    }
    // The same parameters, checked by the same schema, as the HTTP download.
    const parsed = exportInputSchema.safeParse(
      exportInputOfQuery({ plan: values.plan, department: values.department, lang: values.lang, status: values.status === true ? "1" : "0", asOf: values["as-of"] }),
    );
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.map(String).join(".") ?? "?";
      const option = ({ planId: "plan", withStatus: "status", asOf: "as-of" } as Record<string, string>)[field] ?? field;
      io.stderr.write(`--${option}: ${issue?.message ?? "invalid"}\n`);
      return 2;
    }
    const q = parsed.data;
    let database: ExportDatabase;
    try {
      database = await openExportDatabase(io.env);
    } catch (error) {
      io.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      return 2;
    }
    try {
      const planId = await database.store.read((repos) => planIdOrDefault(repos, q.planId));
      const exported = await buildExport(
        database.store,
        "operator",
        {
          file,
          planId,
          department: q.department ?? null,
          lang: q.lang,
          withStatus: q.withStatus,
          asOf: q.asOf ?? null,
        },
        new Date(),
      );
      if (values.out === "-") io.stdout.write(exported.body);
      else {
        writeFileSync(values.out, exported.body);
        io.stderr.write(`wrote ${values.out} (${exported.body.length} bytes, ${file}, ${q.lang}) from ${database.shown}\n`);
      }
      return 0;
    } catch (error) {
      return printRefusal(io, error);
    } finally {
      await database.close();
      // The PDF renderer's browser would keep the process alive.
      await closePdfRenderer();
    }
  },
};
