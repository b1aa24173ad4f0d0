import { parseArgs } from "node:util";
import type { Writable } from "node:stream";
import { openDatabase } from "@countersign/db";
import { seedOrganisationsAtScale } from "./scale/organisations.js";
import { seedScale } from "./seed-scale.js";
import type { SeedScaleProgress } from "./seed-scale.js";

export const seedScaleHelp = `usage: cli seed:scale --assignments <N> --out <file> [--seed <n>] [--years <n>] [--organisations <n>] [--force]
Fills a NEW database file with a generated national-scale history: many plans over the years (the 2020 opinions
among them), the 17 departments, about N assignments in every state and lateness, about five hash-chained audit
events per assignment, and the demo accounts (miit, one liaison per department, observer) with the demo password.
--organisations adds the levels of government (issue 16): a tree of about n organisations (the 31 provinces, the
fixture's sample, generated prefectures and counties) with each one's ~20 member departments.
--force replaces an existing file.`;

export interface SeedScaleCliIo {
  stdout: Writable;
  stderr: Writable;
  /** The stored hash of the accounts' password, made by the server's own hasher. */
  passwordHash: () => Promise<string>;
  /** Redraw one progress line in place (a terminal) rather than print a line per step. */
  interactive?: boolean;
}

function describe(p: SeedScaleProgress): string {
  const seconds = (p.elapsedMs / 1000).toFixed(1);
  if (p.phase === "load") {
    const percent = Math.min(100, Math.round((100 * p.done) / p.total));
    return `writing history: ${p.done.toLocaleString("en")} / ${p.total.toLocaleString("en")} assignments (${percent}%), ${p.auditEvents.toLocaleString("en")} audit events, ${seconds}s`;
  }
  if (p.phase === "index") return `building index ${p.done + 1}/${p.total} ${p.index ?? ""}, ${seconds}s`;
  return `done in ${seconds}s`;
}

/** `seed:scale`: argument parsing and progress for `seedScale`. Returns the exit code. */
export async function runSeedScaleCli(args: string[], io: SeedScaleCliIo): Promise<number> {
  let values: { assignments?: string; out?: string; seed?: string; years?: string; organisations?: string; force?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        assignments: { type: "string" },
        out: { type: "string" },
        seed: { type: "string" },
        years: { type: "string" },
        organisations: { type: "string" },
        force: { type: "boolean" },
        help: { type: "boolean" },
      },
      strict: true,
    }));
  } catch (error) {
    io.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${seedScaleHelp}\n`);
    return 2;
  }
  const assignments = Number(values.assignments);
  if (values.help === true || values.out === undefined || !Number.isInteger(assignments) || assignments < 1) {
    io.stderr.write(`${seedScaleHelp}\n`);
    return 2;
  }
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  const years = values.years === undefined ? undefined : Number(values.years);
  const organisations = values.organisations === undefined ? undefined : Number(values.organisations);
  if ((seed !== undefined && !Number.isInteger(seed)) || (years !== undefined && !(years > 0)) || (organisations !== undefined && !(Number.isInteger(organisations) && organisations > 0))) {
    io.stderr.write(`--seed must be an integer, --years a positive number and --organisations a positive integer\n`);
    return 2;
  }

  let lastLine = 0;
  const result = seedScale(values.out, {
    assignments,
    passwordHash: await io.passwordHash(),
    overwrite: values.force === true,
    ...(seed === undefined ? {} : { seed }),
    ...(years === undefined ? {} : { years }),
    onProgress: (p) => {
      const line = describe(p);
      if (io.interactive === true) {
        io.stderr.write(`\r\x1b[2K${line}`);
        if (p.phase === "done") io.stderr.write("\n");
      } else if (p.phase !== "load" || p.elapsedMs - lastLine >= 5000 || p.done >= p.total) {
        // One line every few seconds when the output is a log rather than a terminal.
        lastLine = p.elapsedMs;
        io.stderr.write(`${line}\n`);
      }
    },
  });
  let levels = "";
  if (organisations !== undefined) {
    const opened = openDatabase(result.path);
    try {
      const started = performance.now();
      const written = seedOrganisationsAtScale(opened.db, organisations);
      levels = `  levels: ${written.organisations} organisations, ${written.departments} local departments in ${((performance.now() - started) / 1000).toFixed(1)} s`;
    } finally {
      opened.close();
    }
  }
  const statuses = Object.entries(result.byStatus)
    .map(([s, n]) => `${s} ${n}`)
    .join(", ");
  const lateness = Object.entries(result.byLateness)
    .map(([l, n]) => `${l} ${n}`)
    .join(", ");
  io.stdout.write(
    [
      `wrote ${result.path} (${(result.bytes / 1024 / 1024).toFixed(0)} MB) in ${result.seconds.toFixed(1)} s`,
      `  ${result.plans} plans, ${result.measures} measures, ${result.assignments} assignments, ${result.auditEvents} audit events`,
      `  by status: ${statuses}`,
      `  by lateness: ${lateness}`,
      `  accounts: ${result.usernames.join(", ")} (password as in demo mode)`,
      ...(levels === "" ? [] : [levels]),
      "",
    ].join("\n"),
  );
  return 0;
}
