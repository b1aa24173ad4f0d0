import { NotOnThisEngineError, refusedOnThisEngine } from "./engine-gate.js";

/** Plain HTTP calls to the tRPC API (no transformer, one procedure per request), as any client would make them. */

export function queryPath(procedure: string, input: unknown): string {
  return `/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`;
}

/** Signs in and returns the session cookie (`name=value`). */
export async function signIn(baseUrl: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${baseUrl}/trpc/auth.login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  const text = await res.text();
  if (refusedOnThisEngine(res.status, text)) throw new NotOnThisEngineError("auth.login (sign-in)");
  if (res.status !== 200) throw new Error(`sign-in as ${username} failed (${res.status}): ${text}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("countersign_session="));
  if (cookie === undefined) throw new Error(`sign-in as ${username} set no session cookie`);
  return cookie.split(";")[0] ?? cookie;
}

/** GET a query; returns the raw body (for byte-exact comparisons) and the parsed data. */
export async function getQuery(baseUrl: string, path: string, cookie: string | null): Promise<{ body: Buffer; data: unknown; contentType: string }> {
  const res = await fetch(baseUrl + path, { headers: cookie === null ? {} : { cookie } });
  const body = Buffer.from(await res.arrayBuffer());
  if (refusedOnThisEngine(res.status, body.toString("utf8"))) throw new NotOnThisEngineError(`GET ${path.split("?")[0] ?? path}`);
  if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${body.toString("utf8").slice(0, 500)}`);
  const parsed: unknown = JSON.parse(body.toString("utf8"));
  const data =
    parsed !== null && typeof parsed === "object" && "result" in parsed
      ? (parsed.result as { data?: unknown } | null)?.data
      : undefined;
  return { body, data, contentType: res.headers.get("content-type") ?? "application/json" };
}
