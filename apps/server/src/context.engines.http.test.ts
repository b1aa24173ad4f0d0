/**
 * The request pipeline on the store seam over real HTTP, on each engine (issue 13): the session cookie resolved by
 * `createRequestContext` (async) through the store, sign-in, `auth.me` and sign-out through the tRPC route (trpc-route.ts).
 * On PostgreSQL two servers on ONE database, as two instances behind a load balancer: a cookie from one is signed in
 * on the other, and signing out through either ends it on both.
 */
import fastifyCookie from "@fastify/cookie";
import Fastify from "fastify";
import type { FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AnyStore } from "@countersign/db";
import { createRequestContext } from "./context.js";
import { demoPassword } from "./demo/demo-accounts.js";
import { appRouter } from "./router.js";
import type { AppRouter } from "./router.js";
import { defaultLoginLimits, LoginLimiter } from "./security/login-limiter.js";
import { sessionCookieName } from "./services/auth/session-policy.js";
import { createHarness, harnessEngines } from "./test-support/harness.js";
import type { Harness } from "./test-support/harness.js";
import { registerTrpcRoute } from "./trpc-route.js";
import type { TrpcRouteOptions } from "./trpc-route.js";

describe.each(harnessEngines)("the request pipeline on %s", (engine) => {
  let h: Harness;
  const cleanups: Array<() => Promise<void>> = [];
  beforeEach(async () => {
    h = await createHarness({ engine });
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await h.close();
  });

  /** A server on `store`: cookies, then tRPC with the request's context as app.ts builds it. */
  async function serverOn(store: AnyStore, limiter: LoginLimiter): Promise<string> {
    const deps = { ...h.context(null), store, loginLimiter: limiter };
    const app: FastifyInstance = Fastify({ logger: false });
    await app.register(fastifyCookie);
    const trpcOptions: TrpcRouteOptions<AppRouter> = {
      router: appRouter,
      createContext: ({ req, res }) => createRequestContext(deps, req, res),
    };
    await registerTrpcRoute(app, { prefix: "/trpc", trpcOptions });
    await app.listen({ port: 0, host: "127.0.0.1" });
    cleanups.push(() => app.close());
    const address = app.server.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    return `http://127.0.0.1:${address.port}`;
  }

  const login = (base: string, username: string, password: string) =>
    fetch(`${base}/trpc/auth.login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username, password }) });
  const sessionCookieOf = (response: Response): string | null => {
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith(`${sessionCookieName}=`));
    return cookie?.split(";")[0] ?? null;
  };
  const me = async (base: string, cookie: string): Promise<unknown> => {
    const response = await fetch(`${base}/trpc/auth.me`, { headers: { cookie } });
    expect(response.status).toBe(200);
    return ((await response.json()) as { result: { data: unknown } }).result.data;
  };

  it("signs in over HTTP, resolves the cookie on each request, and signs out", async () => {
    const limiter = new LoginLimiter();
    const base = await serverOn(h.store, limiter);
    const wrong = await login(base, "mof", "not-the-password");
    expect(wrong.status).toBe(401);
    const signedIn = await login(base, "mof", demoPassword);
    expect(signedIn.status).toBe(200);
    const cookie = sessionCookieOf(signedIn);
    if (cookie === null) throw new Error("no session cookie");
    expect(await me(base, cookie)).toMatchObject({ username: "mof", department: "MOF" });
    expect(await me(base, `${sessionCookieName}=made-up`)).toBeNull();
    const out = await fetch(`${base}/trpc/auth.logout`, { method: "POST", headers: { cookie, "content-type": "application/json" }, body: "{}" });
    expect(out.status).toBe(200);
    expect(await me(base, cookie)).toBeNull();
  });

  it("two servers on one database share the session and the sign-in delays", async () => {
    const other = await h.anotherStore();
    cleanups.push(other.close);
    // Each instance has its own limiter object: what they share is the database's counts.
    const baseA = await serverOn(h.store, new LoginLimiter({ ...defaultLoginLimits, freeFailuresPerAccount: 2 }));
    const baseB = await serverOn(other.store, new LoginLimiter({ ...defaultLoginLimits, freeFailuresPerAccount: 2 }));
    expect((await login(baseA, "ndrc", "wrong-1")).status).toBe(401);
    expect((await login(baseB, "ndrc", "wrong-2")).status).toBe(401);
    const delayed = await login(baseA, "ndrc", demoPassword);
    expect(delayed.status).toBe(429);
    expect((await login(baseB, "ndrc", demoPassword)).status).toBe(429);

    const signedIn = await login(baseB, "mof", demoPassword);
    const cookie = sessionCookieOf(signedIn);
    if (cookie === null) throw new Error("no session cookie");
    expect(await me(baseA, cookie)).toMatchObject({ username: "mof" });
    await fetch(`${baseA}/trpc/auth.logout`, { method: "POST", headers: { cookie, "content-type": "application/json" }, body: "{}" });
    expect(await me(baseB, cookie)).toBeNull();
  });
});
