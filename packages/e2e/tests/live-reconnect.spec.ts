// Issue 12: after the live stream's connection drops and comes back, a change made meanwhile shows without any
// later change. The browser reaches the server through a TCP relay that the test cuts (every open connection closed,
// new ones refused) and restores: a real dropped network path, not a simulated one.
import { createServer } from "node:net";
import type { Server, Socket } from "node:net";
import { connect } from "node:net";
import { expect, test } from "@playwright/test";
import { Api, baseURL, liaisonOf, overview, signIn } from "./support.js";

/** A relay from a free local port to the test server, which can be cut and restored. */
class Relay {
  private readonly sockets = new Set<Socket>();
  private cut = false;
  private constructor(
    private readonly server: Server,
    readonly origin: string,
  ) {}

  static async start(target: URL): Promise<Relay> {
    let relay: Relay | null = null;
    const server = createServer((client) => {
      if (relay === null || relay.cut) {
        client.destroy();
        return;
      }
      const upstream = connect(Number(target.port), target.hostname);
      const pair = [client, upstream];
      for (const s of pair) {
        relay.sockets.add(s);
        s.on("close", () => relay?.sockets.delete(s));
        s.on("error", () => {
          for (const other of pair) other.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("the relay has no port");
    relay = new Relay(server, `http://127.0.0.1:${address.port}`);
    return relay;
  }

  /** Closes every open connection and refuses new ones until `restore`. */
  cutAll(): void {
    this.cut = true;
    for (const s of this.sockets) s.destroy();
  }

  restore(): void {
    this.cut = false;
  }

  async close(): Promise<void> {
    this.cutAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

test("a change made while the live connection was down shows after it reconnects", async ({ browser }) => {
  const coordinatorApi = await Api.signIn("miit");
  const data = await overview(coordinatorApi);
  await coordinatorApi.dispose();
  // Not the assignment live.spec.ts accepts: the last measure with one still to acknowledge.
  const measure = [...data.measures].reverse().find((m) => m.assignments.some((a) => a.status === "assigned"));
  const target = measure?.assignments.find((a) => a.status === "assigned");
  if (!measure || !target) throw new Error("the demo data has no assignment still to acknowledge");

  const relay = await Relay.start(new URL(baseURL));
  const context = await browser.newContext({ baseURL: relay.origin });
  try {
    const tracking = await context.newPage();
    await signIn(tracking, "miit", { origin: relay.origin });
    const status = tracking.locator("[data-live-status]");
    await expect(status).toHaveAttribute("data-live-status", "pending");
    const cell = tracking.locator(`[data-testid="signoff-grid"] tr[data-measure="${measure.number}"] td[data-department="${target.department}"]`);
    await expect(cell).toHaveAttribute("data-status", "assigned");

    relay.cutAll();
    await expect(status).not.toHaveAttribute("data-live-status", "pending");

    // The change happens while the page has no connection (straight to the server, not through the relay).
    const liaison = await Api.signIn(liaisonOf(target.department));
    await liaison.mutate("assignment.accept", { id: target.id, expectedVersion: target.version });
    await liaison.dispose();
    // Nothing reaches the page while the path is cut.
    await tracking.waitForTimeout(500);
    await expect(cell).toHaveAttribute("data-status", "assigned");

    relay.restore();
    await expect(status).toHaveAttribute("data-live-status", "pending", { timeout: 20_000 });
    // No later change is needed: the reconnect itself brings the missed one.
    await expect(cell).toHaveAttribute("data-status", "accepted", { timeout: 10_000 });
  } finally {
    await context.close();
    await relay.close();
  }
});
