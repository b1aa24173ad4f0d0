/**
 * Single sign-on over real HTTP: the server and a real OpenID Connect provider (panva's oidc-provider) both on
 * 127.0.0.1, a browser-like cookie jar following the authorization code flow with PKCE end to end.
 */
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../app.js";
import { createHarness } from "../test-support/harness.js";
import type { Harness } from "../test-support/harness.js";
import { lastAuditEventOf } from "../test-support/store-reads.js";
import { startOidcProvider } from "../test-support/oidc-provider.js";
import type { LocalOidcProvider } from "../test-support/oidc-provider.js";
import { readSignInSettings } from "./config.js";

let h: Harness;
let provider: LocalOidcProvider;
let app: FastifyInstance;
let base: string;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

beforeAll(async () => {
  h = await createHarness();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  provider = await startOidcProvider({ clientId: "countersign", clientSecret: "test-client-secret", redirectUri: `${base}/auth/oidc/callback` });
  const signIn = readSignInSettings({
    PASSWORD_SIGN_IN: "off",
    OIDC_ISSUER: provider.issuer,
    OIDC_CLIENT_ID: "countersign",
    OIDC_CLIENT_SECRET: "test-client-secret",
    PUBLIC_URL: base,
  });
  app = await buildApp(
    // The callers' handle: on PostgreSQL it refuses every use, as a server started on PostgreSQL has it.
    { store: h.store, db: h.context(null).db, live: h.live, sessionPolicy: h.context(null).sessionPolicy, now: () => new Date(), secureCookies: false, signIn },
    { allowedOrigins: [], bodyLimitBytes: 64 * 1024, webDist: null, trustProxy: false, logRequests: false },
  );
  await app.listen({ port, host: "127.0.0.1" });
});

afterAll(async () => {
  await app.close();
  await provider.close();
  await h.close();
});

/** A browser: cookies per host, redirects followed by hand so each hop can be checked. */
function browser() {
  const jars = new Map<string, Map<string, string>>();
  const get = async (url: string, init: RequestInit = {}): Promise<Response> => {
    const target = new URL(url);
    const jar = jars.get(target.host) ?? new Map<string, string>();
    jars.set(target.host, jar);
    const headers = new Headers(init.headers);
    if (jar.size > 0) headers.set("cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
    const response = await fetch(target, { ...init, headers, redirect: "manual" });
    for (const c of response.headers.getSetCookie()) {
      const [pair = ""] = c.split(";");
      const name = pair.slice(0, pair.indexOf("="));
      const value = pair.slice(pair.indexOf("=") + 1);
      if (value === "" || /Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(c)) jar.delete(name);
      else jar.set(name, value);
    }
    return response;
  };
  /** Follows redirects until a page answers; returns the last response and its address. */
  const follow = async (url: string, init?: RequestInit): Promise<{ response: Response; url: string }> => {
    let current = url;
    let response = await get(current, init);
    for (let hops = 0; response.status >= 300 && response.status < 400 && hops < 10; hops++) {
      current = new URL(response.headers.get("location") ?? "", current).href;
      response = await get(current);
    }
    return { response, url: current };
  };
  return { get, follow, cookie: (host: string, name: string) => jars.get(host)?.get(name) };
}

/** Through the provider's sign-in form as `login`, back to Countersign; returns where the browser ends up. */
async function signInThroughProvider(b: ReturnType<typeof browser>, login: string, next = "/inbox"): Promise<string> {
  const atProvider = await b.follow(`${base}/auth/oidc/start?next=${encodeURIComponent(next)}`);
  expect(atProvider.url).toMatch(new RegExp(`^${provider.issuer}/interaction/`));
  const form = await atProvider.response.text();
  expect(form).toContain('name="login"');
  const done = await b.follow(atProvider.url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ prompt: "login", login, password: "any" }).toString(),
  });
  return done.url;
}

describe("single sign-on (OpenID Connect, authorization code with PKCE)", () => {
  it("sends the browser to the provider with PKCE (S256), state and nonce", async () => {
    const b = browser();
    const start = await b.get(`${base}/auth/oidc/start?next=/tracking`);
    expect(start.status).toBe(303);
    const to = new URL(start.headers.get("location") ?? "");
    expect(to.origin).toBe(provider.issuer);
    expect(to.searchParams.get("response_type")).toBe("code");
    expect(to.searchParams.get("code_challenge_method")).toBe("S256");
    expect(to.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(to.searchParams.get("state")).not.toBeNull();
    expect(to.searchParams.get("nonce")).not.toBeNull();
    expect(to.searchParams.get("redirect_uri")).toBe(`${base}/auth/oidc/callback`);
    expect(b.cookie(new URL(base).host, "countersign_oidc")).toBeDefined();
  });

  it("signs in the account whose username the claim names, opens a session and records it", async () => {
    const b = browser();
    const landed = await signInThroughProvider(b, "mof", "/inbox");
    expect(landed).toBe(`${base}/inbox`);
    const me = await b.get(`${base}/trpc/auth.me`);
    expect(((await me.json()) as { result: { data: { username: string } } }).result.data.username).toBe("mof");
    const event = await lastAuditEventOf(h);
    expect(event).toMatchObject({ type: "auth.sso_login", actorUsername: "mof" });
    expect(event?.payload).toContain('"claim":"preferred_username"');
  });

  it("maps an account's single-sign-on identity first, and never the username of an account that has one", async () => {
    // Stored as an administrator's edit leaves it (admin.update also ends sessions and audits: not what this is about).
    await h.store.transaction((tx) => tx.repos.accounts.update(h.user("ndrc").id, { ssoIdentity: "wang.fang" }));
    const b = browser();
    expect(await signInThroughProvider(b, "wang.fang", "/")).toBe(`${base}/`);
    const me = (await (await b.get(`${base}/trpc/auth.me`)).json()) as { result: { data: { username: string } } };
    expect(me.result.data.username).toBe("ndrc");
    // "ndrc" at the provider is someone else now: refused.
    expect(await signInThroughProvider(browser(), "ndrc")).toBe(`${base}/sign-in?sso=unknown_account`);
  });

  it("refuses an unknown person and a disabled account, clearly, and records both", async () => {
    expect(await signInThroughProvider(browser(), "stranger")).toBe(`${base}/sign-in?sso=unknown_account`);
    const refused = await lastAuditEventOf(h);
    expect(refused).toMatchObject({ type: "auth.sso_refused", actorUsername: null });
    expect(refused?.payload).toContain('"reason":"unknown_account"');
    expect(refused?.payload).toContain('"value":"stranger"');
    const disabledAt = new Date().toISOString();
    await h.store.transaction((tx) => tx.repos.accounts.update(h.user("most").id, { disabledAt }));
    expect(await signInThroughProvider(browser(), "most")).toBe(`${base}/sign-in?sso=disabled`);
  });

  it("refuses a callback that was not started here (no pending cookie, or a forged state)", async () => {
    const b = browser();
    const forged = await b.get(`${base}/auth/oidc/callback?code=abc&state=xyz&iss=${encodeURIComponent(provider.issuer)}`);
    expect(forged.headers.get("location")).toBe("/sign-in?sso=failed");
    const event = await lastAuditEventOf(h);
    expect(event).toMatchObject({ type: "auth.sso_refused" });
    // A real start, then a tampered state on the way back.
    const start = await b.get(`${base}/auth/oidc/start`);
    expect(start.status).toBe(303);
    const tampered = await b.get(`${base}/auth/oidc/callback?code=abc&state=not-the-state&iss=${encodeURIComponent(provider.issuer)}`);
    expect(tampered.headers.get("location")).toBe("/sign-in?sso=failed");
  });

  it("turns password sign-in off with PASSWORD_SIGN_IN=off, and tells the sign-in page", async () => {
    const b = browser();
    const login = await b.get(`${base}/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "mof", password: "countersign-demo" }),
    });
    expect(login.status).toBe(403);
    expect(((await login.json()) as { error: { data: { refusalCode: string } } }).error.data.refusalCode).toBe("password_sign_in_off");
    const options = (await (await b.get(`${base}/trpc/sso.options`)).json()) as { result: { data: unknown } };
    expect(options.result.data).toEqual({ password: false, sso: true, startPath: "/auth/oidc/start" });
  });
});

describe("sign-in settings", () => {
  it("reads the environment, and refuses half a configuration at start-up", () => {
    expect(readSignInSettings({})).toEqual({ password: true, oidc: null });
    expect(() => readSignInSettings({ PASSWORD_SIGN_IN: "off" })).toThrow(/needs single sign-on/);
    expect(() => readSignInSettings({ OIDC_ISSUER: "https://id.example.gov.cn" })).toThrow(/both OIDC_ISSUER and OIDC_CLIENT_ID/);
    expect(() => readSignInSettings({ OIDC_ISSUER: "https://id.example.gov.cn", OIDC_CLIENT_ID: "x" })).toThrow(/OIDC_REDIRECT_URI/);
    const s = readSignInSettings({ OIDC_ISSUER: "https://id.example.gov.cn", OIDC_CLIENT_ID: "x", PUBLIC_URL: "https://cs.example.gov.cn/", OIDC_USERNAME_CLAIM: "email" });
    expect(s.oidc).toMatchObject({ redirectUri: "https://cs.example.gov.cn/auth/oidc/callback", usernameClaim: "email", clientSecret: null, allowHttp: false });
    expect(readSignInSettings({ OIDC_ISSUER: "http://10.0.0.5", OIDC_CLIENT_ID: "x", OIDC_REDIRECT_URI: "https://a/cb" }).oidc?.allowHttp).toBe(false);
  });
});
