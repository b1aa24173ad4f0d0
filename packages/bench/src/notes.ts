import { met } from "./report.js";
import type { Figure } from "./report.js";

/**
 * Why a target is missed and what it would take, by figure id: written from what the measurements showed, printed
 * under the table whenever that figure misses its target.
 */
const whyMissed: Record<string, string> = {};

/** Context that every run states, whatever the figures. */
function standing(context: { smoke: boolean; cores: number }): string[] {
  const notes: string[] = [];
  if (context.smoke) notes.push("Smoke run: tiny database and 1-second loads; the figures only prove that every stage works.");
  notes.push(
    `HTTP figures: the load generator (autocannon, in the benchmark's process) and the server share the machine's ${context.cores} cores, so each rate is the server's share of a machine that is also generating the load; the ratios compare like with like.`,
  );
  return notes;
}

export function notesFor(figures: readonly Figure[], context: { smoke: boolean; cores: number }): string[] {
  const notes = standing(context);
  for (const f of figures) {
    if (met(f) !== false) continue;
    const why = whyMissed[f.id];
    notes.push(`**${f.name}** misses its target${why === undefined ? "." : `: ${why}`}`);
  }
  return notes;
}
