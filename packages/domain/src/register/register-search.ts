import { type RegisterEntry, type RegisterKind, departmentRegister, namesOf, registerEntry } from "./departments-register.js";
import { buildNameIndex, closestEntries, defaultNameIndex } from "./name-index.js";
import { traditionalForms } from "./traditional.generated.js";

/*
 * Finding a unit in the register of departments by any of its names, for the administrator who adds one to the
 * installation: Chinese full and short names, other forms (工信部), earlier names, traditional-script forms, the
 * English name and abbreviation, or the code. Where nothing contains the words typed, the closest entries by
 * character pairs are offered, as the importer does for a name it does not know.
 */

/** One register entry found for a query. */
export interface RegisterHit {
  code: string;
  kind: RegisterKind;
  nameZh: string;
  shortZh: string;
  nameEn: string;
  shortEn: string;
  /** The name that matched the query as written in the register; null for a merely close entry. */
  matched: string | null;
  /** `exact`: a name equals the query; `contains`: a name contains it; `close`: similar characters only. */
  closeness: "exact" | "contains" | "close";
}

/** The longest query looked at, in characters: register names are shorter. */
export const maxRegisterQueryLength = 100;

function searchableNames(e: RegisterEntry): string[] {
  return [
    ...namesOf(e).map((n) => n.name),
    ...(traditionalForms[e.code] ?? []),
    e.nameEn,
    e.shortEn,
    e.code,
    ...e.earlierNames.map((n) => n.nameEn),
  ];
}

const hitOf = (e: RegisterEntry, matched: string | null, closeness: RegisterHit["closeness"]): RegisterHit => ({
  code: e.code,
  kind: e.kind,
  nameZh: e.nameZh,
  shortZh: e.shortZh,
  nameEn: e.nameEn,
  shortEn: e.shortEn,
  matched,
  closeness,
});

/**
 * Register entries for a query (any name, case-insensitive, at most `maxRegisterQueryLength` characters looked at):
 * those with a name equal to the query first, then those with a name containing it, in the register's order; then,
 * up to `limit` in all, the closest entries by character pairs (`closestEntries`). A blank query finds nothing.
 * Cost: O(register names × query length).
 */
export function searchRegister(query: string, limit = 8, entries: readonly RegisterEntry[] = departmentRegister): RegisterHit[] {
  const q = query.trim().slice(0, maxRegisterQueryLength).toLowerCase();
  if (q === "" || limit <= 0) return [];
  const exact: RegisterHit[] = [];
  const contains: RegisterHit[] = [];
  for (const e of entries) {
    const names = searchableNames(e);
    const equal = names.find((n) => n.toLowerCase() === q);
    if (equal !== undefined) {
      exact.push(hitOf(e, equal, "exact"));
      continue;
    }
    const within = names.find((n) => n.toLowerCase().includes(q));
    if (within !== undefined) contains.push(hitOf(e, within, "contains"));
  }
  const found = [...exact, ...contains].slice(0, limit);
  if (found.length < limit) {
    const index = entries === departmentRegister ? defaultNameIndex() : buildNameIndex(entries);
    const seen = new Set(found.map((h) => h.code));
    for (const code of closestEntries(index, q, limit)) {
      const e = entries.find((x) => x.code === code);
      if (found.length >= limit) break;
      if (e && !seen.has(code)) found.push(hitOf(e, null, "close"));
    }
  }
  return found;
}

/** What the register says of a unit's history: the unit that replaced it, those it replaced, its earlier names. */
export interface RegisterHistory {
  successor: { code: string; shortZh: string; nameEn: string; since: string; note: string } | null;
  predecessors: Array<{ code: string; shortZh: string; nameEn: string; since: string; note: string }>;
  earlierNames: Array<{ nameZh: string; nameEn: string; until: string }>;
}

/** The register's history of a unit by code (empty for a code the register lacks, such as one added by hand). */
export function registerHistory(code: string): RegisterHistory {
  const e = registerEntry(code);
  const successor = e?.successor ? registerEntry(e.successor.code) : undefined;
  return {
    successor:
      e?.successor && successor
        ? { code: successor.code, shortZh: successor.shortZh, nameEn: successor.nameEn, since: e.successor.since, note: e.successor.note }
        : null,
    predecessors: departmentRegister
      .filter((p) => p.successor?.code === code)
      .map((p) => ({ code: p.code, shortZh: p.shortZh, nameEn: p.nameEn, since: p.successor?.since ?? "", note: p.successor?.note ?? "" })),
    earlierNames: (e?.earlierNames ?? []).map((n) => ({ nameZh: n.nameZh, nameEn: n.nameEn, until: n.until })),
  };
}
