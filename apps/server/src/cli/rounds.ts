import { createSqliteStore, openDatabase, resolveDatabasePath } from "@countersign/db";
import { outboundChannelsOf } from "../services/notifications/notify.js";
import { tickRounds } from "../services/rounds/close-round.js";
import type { CliCommand } from "./command.js";

const help = `usage: cli rounds tick [--at ISO-TIME]
  Rolls over every open repeating round (monthly, quarterly) whose next period is over and whose due date has passed,
  and sends each open round's "due soon" notice once. Safe to run as often as wanted (e.g. hourly from cron); the
  server also runs it every ROUNDS_TICK_SECONDS (default 300).`;

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
    const database = openDatabase(resolveDatabasePath(io.env));
    try {
      // The store seam on the file's connection: the same tick, one unit of work per round, as the server's scheduler.
      const store = createSqliteStore(database);
      const tick = await tickRounds(store, at, outboundChannelsOf(database.db));
      io.stdout.write(
        `rolled over: ${tick.rolledOver.map((r) => `${r.id} → ${r.nextRoundId ?? "-"}`).join(", ") || "none"}; due-soon notices: ${tick.dueSoonNotified.join(", ") || "none"}\n`,
      );
      return 0;
    } finally {
      database.close();
    }
  },
};
