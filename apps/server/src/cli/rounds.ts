import { tickRounds } from "../services/rounds/close-round.js";
import type { CliCommand } from "./command.js";
import { openCommandStore } from "./command-store.js";

const help = `usage: cli rounds tick [--at ISO-TIME]
  Rolls over every open repeating round (monthly, quarterly) whose next period is over and whose due date has passed,
  and sends each open round's "due soon" notice once. Safe to run as often as wanted (e.g. hourly from cron); the
  server also runs it every ROUNDS_TICK_SECONDS (default 300). On the SQLite file (DATABASE_PATH) or, with
  DATABASE_URL=postgres://…, on PostgreSQL. It queues no webhook or email: the servers' dispatchers send those.`;

export const roundsCommand: CliCommand = {
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub !== "tick") {
      io.stderr.write(`${help}\n`);
      return 2;
    }
    const atIndex = rest.indexOf("--at");
    const at = atIndex === -1 ? new Date() : new Date(rest[atIndex + 1] ?? "");
    if (Number.isNaN(at.getTime())) {
      io.stderr.write("--at must be an ISO time, e.g. 2026-04-01T02:00:00Z\n");
      return 2;
    }
    const opened = await openCommandStore(io);
    try {
      // The same tick as the servers' scheduler, one unit of work per round (a round closed once, whoever ticks).
      const tick = await tickRounds(opened.store, at, { webhook: false, email: false, emailTo: [] });
      io.stdout.write(
        `rolled over: ${tick.rolledOver.map((r) => `${r.id} → ${r.nextRoundId ?? "-"}`).join(", ") || "none"}; due-soon notices: ${tick.dueSoonNotified.join(", ") || "none"}\n`,
      );
      return 0;
    } finally {
      await opened.close();
    }
  },
};
