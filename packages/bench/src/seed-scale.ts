import { existsSync, rmSync, statSync } from "node:fs";
import { assignmentStatuses, defaultPlan, departments, latenessLevels, latenessOf, nationalId, planCalendarDate, proposedDivision2020 } from "@countersign/domain";
import type { AssignmentStatus, DepartmentCode, Justification, Lateness, Role } from "@countersign/domain";
import { auditEventHash, canonicalJson, genesisHash, loadDepartments, openDatabase, writeTransaction } from "@countersign/db";
import type { AuditEventRow } from "@countersign/db";
import {
  assignmentsTable,
  auditEventsTable,
  commentsTable,
  extensionRequestsTable,
  measuresTable,
  planDepartmentsTable,
  plansTable,
  responsibilitiesTable,
  sectionsTable,
  usersTable,
} from "@countersign/db/schema";
import { BulkInsert } from "./bulk-insert.js";
import { createRandom } from "./random.js";
import type { Random } from "./random.js";
import { EventMerge } from "./scale/event-merge.js";
import { dayMs, simulatePlan } from "./scale/simulate-plan.js";
import type { IdCounters, MeasureToSimulate, PlannedEvent, SeedUser } from "./scale/simulate-plan.js";
import { measureTitlesZh, planKinds, planSubjects } from "./scale/texts.js";

export interface SeedScaleProgress {
  phase: "load" | "index" | "done";
  /** Assignments written so far (load), indexes built (index). */
  done: number;
  total: number;
  auditEvents: number;
  elapsedMs: number;
  /** The index being built, in the index phase. */
  index?: string;
}

export interface SeedScaleOptions {
  /** About how many assignments to create (whole plans are generated, so the count ends a little above). */
  assignments: number;
  onProgress?: (progress: SeedScaleProgress) => void;
  /**
   * The password hash stored for every seeded account (the server's own hasher makes it; see the CLI). Without one
   * the accounts exist but nobody can sign in.
   */
  passwordHash?: string;
  /** The same seed gives the same database (for the same `now`). */
  seed?: number;
  /** The present of the history: nothing happens after it, and lateness is relative to it. */
  now?: Date;
  /** Years of history before `now` (default 10). */
  years?: number;
  /** Replace an existing file instead of refusing. */
  overwrite?: boolean;
}

export interface SeedScaleResult {
  path: string;
  plans: number;
  measures: number;
  assignments: number;
  auditEvents: number;
  comments: number;
  extensionRequests: number;
  users: number;
  byStatus: Record<AssignmentStatus, number>;
  byLateness: Record<Lateness, number>;
  bytes: number;
  seconds: number;
  /** The accounts created (demo names), all with the same password hash. */
  usernames: string[];
}

/** The lead ministry; its coordinator issues every generated plan. */
const leadMinistry = "MIIT";
/** Rows per transaction: big enough to amortise commits, small enough to show progress often. */
const assignmentsPerCommit = 25_000;

interface ResponsibilitySpec {
  department: DepartmentCode;
  role: Role;
  justification: Justification | null;
}

interface PlanSpec {
  key: string;
  titleEn: string;
  titleZh: string;
  documentNumber: string;
  loadedMs: number;
  departments: DepartmentCode[];
  sections: Array<{ number: number; numeral: string; title: string }>;
  measures: Array<{
    number: number;
    sectionNumber: number;
    title: string;
    text: string;
    textCut: boolean;
    responsibilities: ResponsibilitySpec[];
  }>;
  /** The default due date given when issued, drawn relative to the issue date. */
  isDefault: boolean;
}

const romanNumerals = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"] as const;
const departmentCodes = departments.map((d) => d.code);

/**
 * Fills a new database file with a realistic national-scale history: many plans over the years (the 2020 opinions
 * among them), the 17 departments with the demo accounts, about `assignments` assignments in every state and
 * lateness, and the audit trail of all of it (about five events per assignment) hash-chained exactly as the
 * server chains it, so that `verifyAuditChain` passes. Bulk path: raw prepared multi-row inserts in large
 * transactions with the secondary indexes dropped and rebuilt at the end, journal and sync off while loading.
 */
export function seedScale(path: string, options: SeedScaleOptions): SeedScaleResult {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  if (existsSync(path) && statSync(path).size > 0) {
    if (options.overwrite !== true) throw new Error(`${path} exists; refusing to overwrite it (pass overwrite).`);
  }
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(path + suffix, { force: true });

  const now = options.now ?? new Date();
  const nowMs = now.getTime();
  const random = createRandom(options.seed ?? 2020);
  const target = Math.max(1, Math.floor(options.assignments));
  const progress = options.onProgress ?? (() => undefined);

  const opened = openDatabase(path);
  const { db, sqlite } = opened;
  writeTransaction(db, (tx) => loadDepartments(tx, departments));

  // The migrations' secondary indexes, rebuilt once at the end: one sort beats millions of random inserts. The
  // search texts' and keys' own (a few hundred rows) stay: the measures' triggers find a text's row through them.
  const indexes = sqlite
    .prepare(
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name NOT IN ('search_texts', 'search_keys') ORDER BY name",
    )
    .all() as Array<{ name: string; sql: string }>;
  for (const index of indexes) sqlite.exec(`DROP INDEX "${index.name}"`);
  // An assignment takes its measure's search key by a trigger (migration 0017): set once at the end instead, for
  // every row at once (and whichever of a measure and its assignments a batch wrote first).
  const searchKeyTrigger = sqlite.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'assignments_search_key_insert'").get() as
    | { sql: string }
    | undefined;
  if (searchKeyTrigger !== undefined) sqlite.exec("DROP TRIGGER assignments_search_key_insert");
  sqlite.pragma("foreign_keys = OFF");
  sqlite.pragma("journal_mode = OFF");
  sqlite.pragma("synchronous = OFF");
  sqlite.pragma("cache_size = -262144");
  sqlite.pragma("temp_store = MEMORY");

  const insert = {
    users: new BulkInsert(sqlite, usersTable, 20),
    plans: new BulkInsert(sqlite, plansTable, 50),
    planDepartments: new BulkInsert(sqlite, planDepartmentsTable),
    sections: new BulkInsert(sqlite, sectionsTable),
    measures: new BulkInsert(sqlite, measuresTable),
    responsibilities: new BulkInsert(sqlite, responsibilitiesTable),
    assignments: new BulkInsert(sqlite, assignmentsTable),
    comments: new BulkInsert(sqlite, commentsTable, 20),
    extensionRequests: new BulkInsert(sqlite, extensionRequestsTable, 20),
    auditEvents: new BulkInsert(sqlite, auditEventsTable),
  };
  const flushAll = (): void => {
    for (const inserter of Object.values(insert)) inserter.flush();
  };

  const specs = planSpecs(random, target, nowMs, options.years ?? 10);
  const historyStartMs = specs[0]?.loadedMs ?? nowMs;

  // The audit chain, appended in time order as the merge hands events over.
  let seq = 0;
  let prevHash = genesisHash;
  const emit = (event: PlannedEvent): void => {
    seq += 1;
    const content: Omit<AuditEventRow, "id" | "hash"> = {
      seq,
      at: new Date(event.atMs).toISOString(),
      type: event.type,
      actorUserId: event.actor?.id ?? null,
      actorUsername: event.actor?.username ?? null,
      actorRole: event.actor?.role ?? "system",
      actorDepartment: event.actor?.department ?? null,
      planId: event.planId,
      measureNumber: event.measureNumber,
      assignmentId: event.assignmentId,
      department: event.department,
      fromStatus: event.fromStatus,
      toStatus: event.toStatus,
      payload: canonicalJson(event.payload),
      prevHash,
    };
    const hash = auditEventHash(content);
    insert.auditEvents.add({ id: seq, ...content, hash });
    prevHash = hash;
  };
  const merge = new EventMerge();

  sqlite.exec("BEGIN");
  const users = seedUsers(options.passwordHash ?? "!", new Date(historyStartMs - 30 * dayMs).toISOString());
  for (const user of users.all) insert.users.add(user.row);
  merge.add(
    users.all.map((u, i) => ({
      atMs: historyStartMs - 30 * dayMs + i * 1000,
      type: "user.created" as const,
      actor: null,
      planId: null,
      measureNumber: null,
      assignmentId: null,
      department: u.user.department,
      fromStatus: null,
      toStatus: null,
      payload: { username: u.user.username, role: u.user.role },
    })),
  );

  const ids: IdCounters = { assignment: 0, comment: 0, extensionRequest: 0 };
  const counts = { measures: 0, sectionId: 0, responsibilityId: 0 };
  const byStatus = Object.fromEntries(assignmentStatuses.map((s) => [s, 0])) as Record<AssignmentStatus, number>;
  const byLateness = Object.fromEntries(latenessLevels.map((l) => [l, 0])) as Record<Lateness, number>;
  let sinceCommit = 0;

  specs.forEach((spec, index) => {
    const planId = index + 1;
    merge.drain(spec.loadedMs, emit);
    const issuedAtMs = spec.loadedMs + random.int(3, 20) * dayMs;
    // The newest plans may still be drafts: loaded, their division of work under review.
    const issued = issuedAtMs < nowMs - dayMs;
    const defaultDueDate = spec.isDefault
      ? "2021-12-31"
      : random.chance(0.12)
        ? "ongoing"
        : planCalendarDate(new Date(issuedAtMs + random.int(180, 540) * dayMs));

    insert.plans.add({
      id: planId,
      key: spec.key,
      titleEn: spec.titleEn,
      titleZh: spec.titleZh,
      documentNumber: spec.documentNumber,
      issuedOn: planCalendarDate(new Date(spec.loadedMs - random.int(10, 30) * dayMs)),
      publishedOn: planCalendarDate(new Date(spec.loadedMs - random.int(1, 9) * dayMs)),
      leadDepartment: leadMinistry,
      status: issued ? "issued" : "draft",
      assignedAt: issued ? new Date(issuedAtMs).toISOString() : null,
      assignedByUserId: issued ? users.coordinator.id : null,
      defaultDueDate: issued ? defaultDueDate : null,
      createdAt: new Date(spec.loadedMs).toISOString(),
      // The bulk writer applies no defaults: the national level's, as every plan before issue 16.
      organisationId: nationalId,
    });
    spec.departments.forEach((department, position) => {
      insert.planDepartments.add({ planId, department, position });
    });
    for (const s of spec.sections) {
      counts.sectionId += 1;
      insert.sections.add({ id: counts.sectionId, planId, ...s });
    }

    const measures: MeasureToSimulate[] = spec.measures.map((m) => {
      counts.measures += 1;
      // A third of the measures carry their own deadline.
      const dueDate =
        !spec.isDefault && random.chance(0.3)
          ? random.chance(0.3)
            ? "ongoing"
            : planCalendarDate(new Date(issuedAtMs + random.int(90, 720) * dayMs))
          : defaultDueDate;
      return { id: counts.measures, number: m.number, dueDate, responsibilities: m.responsibilities };
    });
    const planEvents: PlannedEvent[] = [
      {
        atMs: spec.loadedMs,
        type: "plan.loaded",
        actor: null,
        planId,
        measureNumber: null,
        assignmentId: null,
        department: null,
        fromStatus: null,
        toStatus: null,
        payload: {
          key: spec.key,
          measures: spec.measures.length,
          responsibilities: spec.measures.reduce((n, m) => n + m.responsibilities.length, 0),
        },
      },
    ];

    const simulated = issued
      ? simulatePlan(
          { random, nowMs, coordinator: users.coordinator, liaisons: users.liaisons, ids },
          { id: planId, issuedAtMs, departments: spec.departments, measures },
        )
      : null;

    spec.measures.forEach((m, i) => {
      const measure = measures[i];
      if (measure === undefined) return;
      const outcome = simulated?.measures[i];
      const closed = outcome?.closedAtMs !== null && outcome?.closedAtMs !== undefined;
      insert.measures.add({
        id: measure.id,
        planId,
        number: m.number,
        sectionNumber: m.sectionNumber,
        title: m.title,
        text: m.text,
        textCut: m.textCut,
        closed,
        closedAt: closed && outcome?.closedAtMs != null ? new Date(outcome.closedAtMs).toISOString() : null,
        closedByUserId: closed ? users.coordinator.id : null,
        closeNote: closed ? (outcome?.closeNote ?? null) : null,
        reopenedAt: null,
        reopenedByUserId: null,
        reopenNote: null,
        version: closed ? 2 : 1,
      });
      m.responsibilities.forEach((r, position) => {
        counts.responsibilityId += 1;
        const department = outcome?.departments[position] ?? r.department;
        insert.responsibilities.add({
          id: counts.responsibilityId,
          planId,
          measureId: measure.id,
          measureNumber: m.number,
          department,
          role: r.role,
          position,
          // A reassignment is the lead ministry's own choice: the proposal's reason no longer applies.
          justification: department === r.department ? r.justification : null,
        });
      });
    });

    if (simulated !== null) {
      for (const row of simulated.assignments) {
        insert.assignments.add(row);
        byStatus[row.status] += 1;
        byLateness[latenessOf(row.dueDate, row.status, now)] += 1;
      }
      for (const row of simulated.comments) insert.comments.add(row);
      for (const row of simulated.extensionRequests) insert.extensionRequests.add(row);
      sinceCommit += simulated.assignments.length;
      merge.add([...planEvents, ...simulated.events]);
    } else {
      merge.add(planEvents);
    }

    if (sinceCommit >= assignmentsPerCommit) {
      flushAll();
      sqlite.exec("COMMIT");
      sqlite.exec("BEGIN");
      sinceCommit = 0;
      progress({ phase: "load", done: ids.assignment, total: target, auditEvents: seq, elapsedMs: elapsed() });
    }
  });
  merge.drain(Number.POSITIVE_INFINITY, emit);
  flushAll();
  // The chain head, as the server's appends keep it.
  if (seq > 0) {
    sqlite
      .prepare("insert into audit_chain_head (id, seq, hash, updated_at) values (1, ?, ?, ?)")
      .run(seq, prevHash, new Date(nowMs).toISOString());
  }
  sqlite.exec("COMMIT");
  progress({ phase: "load", done: ids.assignment, total: target, auditEvents: seq, elapsedMs: elapsed() });
  if (searchKeyTrigger !== undefined) {
    sqlite.exec("UPDATE assignments SET search_key = (SELECT search_key FROM measures WHERE measures.id = assignments.measure_id)");
    sqlite.exec(searchKeyTrigger.sql);
  }

  indexes.forEach((index, i) => {
    progress({ phase: "index", done: i, total: indexes.length, auditEvents: seq, elapsedMs: elapsed(), index: index.name });
    sqlite.exec(index.sql);
  });
  // Back to the durability the server promises (WAL, FULL), as the server will open it.
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  opened.close();

  const result: SeedScaleResult = {
    path: opened.path,
    plans: specs.length,
    measures: counts.measures,
    assignments: ids.assignment,
    auditEvents: seq,
    comments: ids.comment,
    extensionRequests: ids.extensionRequest,
    users: users.all.length,
    byStatus,
    byLateness,
    bytes: statSync(path).size,
    seconds: elapsed() / 1000,
    usernames: users.all.map((u) => u.user.username),
  };
  progress({ phase: "done", done: indexes.length, total: indexes.length, auditEvents: seq, elapsedMs: elapsed() });
  return result;
}

/** The demo accounts' names: the coordinator `miit`, one liaison per department (`miit-liaison` for MIIT), `observer`, `admin`. */
function seedUsers(passwordHash: string, createdAt: string) {
  const all: Array<{ user: SeedUser; row: typeof usersTable.$inferInsert }> = [];
  const add = (username: string, displayName: string, role: SeedUser["role"], department: DepartmentCode | null): SeedUser => {
    const user: SeedUser = { id: all.length + 1, username, role, department };
    all.push({ user, row: { id: user.id, username, displayName, role, department, passwordHash, disabledAt: null, createdAt, organisationId: nationalId } });
    return user;
  };
  const coordinator = add("miit", "工业和信息化部 领导小组办公室", "coordinator", leadMinistry);
  const liaisons = new Map<DepartmentCode, SeedUser>();
  for (const d of departments) {
    const username = d.code === leadMinistry ? "miit-liaison" : d.code.toLowerCase();
    liaisons.set(d.code, add(username, `${d.shortZh} 联络员`, "liaison", d.code));
  }
  add("observer", "观察员", "observer", null);
  add("admin", "管理员", "admin", null);
  return { all, coordinator, liaisons };
}

/**
 * The plans of the history, oldest first: their size and division of work, drawn until they hold about
 * `target` assignments, spread over `years`; the 2020 opinions take their real place among them.
 */
function planSpecs(random: Random, target: number, nowMs: number, years: number): PlanSpec[] {
  const shapes: PlanSpec[] = [];
  let assignments = 0;
  const includeDefault = target >= 200;
  if (includeDefault) {
    const spec = defaultPlanSpec();
    shapes.push(spec);
    assignments += spec.measures.reduce((n, m) => n + m.responsibilities.length, 0);
  }
  let number = 0;
  while (assignments < target) {
    number += 1;
    const spec = syntheticPlanSpec(random, number);
    shapes.push(spec);
    assignments += spec.measures.reduce((n, m) => n + m.responsibilities.length, 0);
  }
  // Spread the generated plans evenly over the years; the newest a few days old.
  const startMs = nowMs - years * 365 * dayMs;
  const spanMs = years * 365 * dayMs - 5 * dayMs;
  const synthetic = shapes.filter((s) => !s.isDefault);
  synthetic.forEach((spec, i) => {
    const slot = startMs + (spanMs * (i + random.next() * 0.9)) / synthetic.length;
    spec.loadedMs = Math.floor(slot);
    const year = new Date(spec.loadedMs).getUTCFullYear();
    spec.documentNumber = `工信部联企业〔${year}〕${(i % 400) + 1}号`;
    spec.key = `scale-${year}-${String(i + 1).padStart(6, "0")}`;
  });
  return shapes.sort((a, b) => a.loadedMs - b.loadedMs);
}

function defaultPlanSpec(): PlanSpec {
  return {
    key: defaultPlan.key,
    titleEn: defaultPlan.titleEn,
    titleZh: defaultPlan.titleZh,
    documentNumber: defaultPlan.documentNumber,
    loadedMs: Date.parse(`${defaultPlan.publishedOn}T02:00:00Z`) + 3 * dayMs,
    departments: [...defaultPlan.departments],
    sections: defaultPlan.sections.map((s) => ({ number: s.number, numeral: s.numeral, title: s.title })),
    measures: defaultPlan.measures.map((m) => {
      const proposed = proposedDivision2020.filter((r) => r.measureNumber === m.number);
      const ordered = [...proposed.filter((r) => r.role === "lead"), ...proposed.filter((r) => r.role === "supporting")];
      return {
        number: m.number,
        sectionNumber: m.section,
        title: m.title,
        text: m.text,
        textCut: m.textCut,
        responsibilities: ordered.map((r) => ({ department: r.department, role: r.role, justification: r.justification })),
      };
    }),
    isDefault: true,
  };
}

function syntheticPlanSpec(random: Random, number: number): PlanSpec {
  const [subjectZh, subjectEn] = random.pick(planSubjects);
  const [kindZh, kindEn] = random.pick(planKinds);
  // MIIT and a random set of member units, in order of signature.
  const members = departmentCodes.filter((code) => code === leadMinistry || random.chance(0.55));
  while (members.length < 4) {
    const extra = random.pick(departmentCodes);
    if (!members.includes(extra)) members.push(extra);
  }
  members.sort((a, b) => departmentCodes.indexOf(a) - departmentCodes.indexOf(b));
  const measureCount = random.int(8, 40);
  const sectionCount = Math.min(romanNumerals.length, Math.max(2, Math.ceil(measureCount / 6)));
  const sections = Array.from({ length: sectionCount }, (_, i) => {
    const source = defaultPlan.sections[i % defaultPlan.sections.length];
    return { number: i + 1, numeral: romanNumerals[i] ?? String(i + 1), title: source?.title ?? `Section ${i + 1}` };
  });
  const offset = random.int(0, defaultPlan.measures.length - 1);
  const measures = Array.from({ length: measureCount }, (_, i) => {
    const source = defaultPlan.measures[(offset + i) % defaultPlan.measures.length];
    const lead = random.chance(0.45) ? leadMinistry : random.pick(members);
    const supportingCount = Math.min(members.length - 1, [0, 1, 2, 3, 4, 6][random.weighted([15, 25, 25, 15, 10, 10])] ?? 0);
    const supporting: DepartmentCode[] = [];
    while (supporting.length < supportingCount) {
      const d = random.pick(members);
      if (d !== lead && !supporting.includes(d)) supporting.push(d);
    }
    return {
      number: i + 1,
      sectionNumber: Math.min(sectionCount, Math.floor((i * sectionCount) / measureCount) + 1),
      // Chinese, as a department's plans are (measureTitlesZh); the same measure of the default plan keeps its text.
      title: measureTitlesZh[(offset + i) % measureTitlesZh.length] ?? source?.title ?? `Measure ${i + 1}`,
      text: source?.text ?? "",
      textCut: source?.textCut ?? false,
      responsibilities: [
        { department: lead, role: "lead" as const, justification: null },
        ...supporting.map((department) => ({ department, role: "supporting" as const, justification: null })),
      ],
    };
  });
  return {
    key: `scale-${number}`,
    titleEn: `${kindEn} ${subjectEn}`,
    titleZh: `关于${subjectZh}的${kindZh}`,
    documentNumber: "",
    loadedMs: 0,
    departments: members,
    sections,
    measures,
    isDefault: false,
  };
}
