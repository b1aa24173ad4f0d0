/**
 * The command line: `pnpm --silent cli <command> ...`. Each command lives in its own file under src/cli/ and is
 * loaded only when called; add a command by adding one line to `commands`.
 */
import type { CliCommand } from "./cli/command.js";

const commands: Record<string, { summary: string; load: () => Promise<CliCommand> }> = {
  "seed:scale": { summary: "seed:scale --assignments N --out file (a generated national-scale history, for the benchmark)", load: async () => (await import("./cli/seed-scale.js")).seedScaleCommand },
  user: { summary: "user add --username x --role liaison --department MOF --password-stdin | user disable --username x", load: async () => (await import("./cli/user.js")).userCommand },
  audit: { summary: "audit verify [--anchor SEQ:HASH] [--checkpoint FILE] [--json] | audit checkpoint   check the audit trail (chain, head, replayed state); print a signed checkpoint", load: async () => (await import("./cli/audit-verify.js")).auditCommand },
  db: { summary: "db backup <file> | db restore <file> [--force] | db migrate-to-postgres --to postgres://… [--database FILE]   online backup (pg_dump on PostgreSQL), checked restore, copy to PostgreSQL", load: async () => (await import("./cli/db-backup.js")).dbCommand },
  department: { summary: "department list | add --code MOE | rename --code X --name-zh … | retire --code X   (audited)", load: async () => (await import("./cli/department.js")).departmentCommand },
  division: { summary: "division list|add --department MOF | set-part --username x --part handler --division N | approval --department MOF --required yes   (audited)", load: async () => (await import("./cli/division.js")).divisionCommand },
  plan: { summary: "plan import FILE [--json] [--lead CODE]   the draft of a document or task-division table (.txt .docx .pdf .xlsx .csv)", load: async () => (await import("./cli/plan-import.js")).planImportCommand },
  rounds: { summary: "rounds tick [--at ISO-TIME]   roll over repeating reporting rounds, send due-soon notices", load: async () => (await import("./cli/rounds.js")).roundsCommand },
  matrix: { summary: "matrix --format xlsx|csv|pdf --lang zh|en [--plan N] [--department MOF] [--status] [--as-of YYYY-MM-DD] --out file", load: async () => (await import("./cli/matrix.js")).matrixCommand },
};

function usage(): string {
  return ["usage: cli <command> [options]", "", ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`)].join("\n");
}

async function main(argv: string[]): Promise<number> {
  // `pnpm cli …` runs this in apps/server; the user's relative paths (DATABASE_PATH, files to import, --out, backups,
  // checkpoints) mean the folder they typed the command in, which pnpm passes as INIT_CWD.
  const started = process.env["INIT_CWD"];
  if (started !== undefined && started !== "" && started !== process.cwd()) process.chdir(started);
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(`${usage()}\n`);
    return name === undefined ? 1 : 0;
  }
  const entry = commands[name];
  if (entry === undefined) {
    process.stderr.write(`unknown command: ${name}\n\n${usage()}\n`);
    return 2;
  }
  const io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };
  const command = await entry.load();
  return command.run(rest, io);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
