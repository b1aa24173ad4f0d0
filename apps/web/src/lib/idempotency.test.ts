import { describe, expect, it } from "vitest";
import { IntentKeys, idempotencyHeaders, idempotent } from "./idempotency.js";

describe("IntentKeys", () => {
  it("gives the same request the same key until it changes or a new intent begins", () => {
    const keys = new IntentKeys();
    const first = keys.keyFor({ action: "accept", id: 7, version: 3 });
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // A double click, or pressing again after the answer was lost.
    expect(keys.keyFor({ action: "accept", id: 7, version: 3 })).toBe(first);
    // The text edited after a refusal: another request, another key.
    const edited = keys.keyFor({ action: "decline", id: 7, version: 3, values: { reason: "not ours" } });
    expect(edited).not.toBe(first);
    expect(keys.keyFor({ action: "decline", id: 7, version: 3, values: { reason: "not ours" } })).toBe(edited);
    // After a success, or when a dialog opens, the same words are a new intent.
    keys.reset();
    expect(keys.keyFor({ action: "decline", id: 7, version: 3, values: { reason: "not ours" } })).not.toBe(edited);
  });

  it("makes keys the server accepts (1–200 printable ASCII characters)", () => {
    const keys = new IntentKeys();
    for (let i = 0; i < 20; i += 1) expect(keys.keyFor(i)).toMatch(/^[\x21-\x7e]{1,200}$/);
  });
});

describe("idempotencyHeaders", () => {
  it("sends the header only for an operation that carries a key", () => {
    expect(idempotencyHeaders(idempotent("k-1"))).toEqual({ "Idempotency-Key": "k-1" });
    expect(idempotencyHeaders({})).toEqual({});
    expect(idempotencyHeaders({ idempotencyKey: 12 })).toEqual({});
  });
});
