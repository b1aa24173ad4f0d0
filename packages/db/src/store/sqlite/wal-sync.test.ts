import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { WalSync } from "./wal-sync.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function walFile(): string {
  const dir = mkdtempSync(join(tmpdir(), "countersign-wal-sync-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, "countersign.sqlite-wal");
  writeFileSync(path, "frames");
  return path;
}

describe("WalSync", () => {
  it("has nothing pending before a commit; a commit is pending until a sync covering it has run", async () => {
    const sync = new WalSync(walFile());
    expect(sync.pending()).toBeNull();
    const commit = sync.committed();
    const pending = sync.pending();
    expect(pending).not.toBeNull();
    await pending;
    expect(sync.pending()).toBeNull();
    expect(sync.syncs).toBe(1);
    // Asking again for a commit already on disk: no sync, resolved at once.
    await sync.through(commit);
    expect(sync.syncs).toBe(1);
    await sync.close();
  });

  it("runs one sync at a time: commits made while one runs are covered together by the next, waiters settle in order", async () => {
    const sync = new WalSync(walFile());
    const order: number[] = [];
    const first = sync.committed();
    const waits = [sync.through(first).then(() => order.push(first))];
    // While the first sync runs (started by the first waiter), four more commits.
    for (let i = 0; i < 4; i++) {
      const commit = sync.committed();
      waits.push(sync.through(commit).then(() => order.push(commit)));
    }
    await Promise.all(waits);
    expect(order).toEqual([1, 2, 3, 4, 5]);
    expect(sync.syncs).toBe(2);
    await sync.close();
  });

  it("fails every waiter and every later one when the log cannot be synced, naming the file", async () => {
    const missing = join(mkdtempSync(join(tmpdir(), "countersign-wal-sync-")), "gone", "countersign.sqlite-wal");
    const sync = new WalSync(missing);
    const commit = sync.committed();
    await expect(sync.through(commit)).rejects.toThrow(/write-ahead log could not be synced to disk \(.*gone\/countersign\.sqlite-wal\)/);
    expect(sync.failure()).toBeInstanceOf(Error);
    await expect(sync.through(sync.committed())).rejects.toThrow(/could not be synced/);
    await expect(sync.pending()).rejects.toThrow(/could not be synced/);
    await sync.close();
  });
});
