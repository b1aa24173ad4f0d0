import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { appendAuditEvent } from "./audit.js";
import { openDatabase, writeTransaction } from "./client.js";
import type { OpenedDatabase } from "./client.js";
import { readDataVersion } from "./data-version.js";

const opened: OpenedDatabase[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const o of opened.splice(0)) o.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function open(path: string): OpenedDatabase {
  const o = openDatabase(path);
  opened.push(o);
  return o;
}

function comment(o: OpenedDatabase): void {
  writeTransaction(o.db, (tx) =>
    appendAuditEvent(tx, {
      at: new Date(Date.UTC(2026, 0, 1)).toISOString(),
      type: "assignment.commented",
      actorUserId: 1,
      actorUsername: "mof",
      actorRole: "liaison",
      actorDepartment: "MOF",
      assignmentId: 7,
      payload: { body: "x" },
    }),
  );
}

describe("readDataVersion", () => {
  it("follows the audit chain head and counts other connections' commits, audited or not", () => {
    const dir = mkdtempSync(join(tmpdir(), "countersign-dv-"));
    dirs.push(dir);
    const path = join(dir, "countersign.sqlite");
    const server = open(path);
    const other = open(path);
    const first = readDataVersion(server.sqlite);
    expect(first.auditSeq).toBe(0);

    comment(server);
    const afterOwn = readDataVersion(server.sqlite);
    expect(afterOwn.auditSeq).toBe(1);
    expect(afterOwn.auditHash).toMatch(/^[0-9a-f]{64}$/);
    // The server's own commits are not "other connections'".
    expect(afterOwn.otherConnections).toBe(first.otherConnections);

    // Another process writing without an audit event (a session, a notice read) still moves the version.
    other.sqlite.exec("update assignment_notices set unread = 0 where 0 = 1; delete from sessions where 0 = 1");
    other.sqlite.exec("create table scratch (x integer)");
    const afterOther = readDataVersion(server.sqlite);
    expect(afterOther.auditSeq).toBe(1);
    expect(afterOther.otherConnections).not.toBe(afterOwn.otherConnections);

    comment(other);
    expect(readDataVersion(server.sqlite).auditSeq).toBe(2);
  });
});
