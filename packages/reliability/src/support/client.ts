import { createTRPCClient, httpLink } from "@trpc/client";
import type { TRPCClient } from "@trpc/client";
import type { AppRouter } from "@countersign/server/router";

export const demoPassword = "countersign-demo";

/** What the API said about a refusal (`error.data` of a tRPC answer). */
export interface ErrorData {
  code: string;
  httpStatus: number;
  refusalCode: string;
  field: string | null;
  current: { version: number; status: string } | null;
}

/** One HTTP answer of the tRPC API, read raw: the status, and either the data or the error. */
export type Answer =
  | { status: number; ok: true; data: unknown; headers: Headers }
  | { status: number; ok: false; message: string; error: ErrorData | null; raw: string; headers: Headers };

export interface SendOptions {
  headers?: Record<string, string>;
  /** A raw body instead of JSON of the input. */
  body?: string | FormData;
  signal?: AbortSignal;
}

/**
 * A browser: one cookie jar (one session), talking to the API over real HTTP. `typed` is a tRPC client for setup;
 * `mutate`/`query` read answers raw, for the tests that judge status codes and refusals.
 */
export class Browser {
  /** The server's address; `rebase` after a restart on another port (the session cookie stays valid). */
  base: string;
  /** The session cookie (`name=value`), or null when signed out. */
  cookie: string | null = null;
  /** The known-device cookie (`name=value`) the server set at a sign-in, kept across sign-outs as a browser does. */
  device: string | null = null;
  readonly typed: TRPCClient<AppRouter>;

  constructor(base: string) {
    this.base = base;
    this.typed = createTRPCClient<AppRouter>({
      links: [httpLink({ url: `${base}/trpc`, fetch: (url, init) => this.fetch(String(url), init ?? {}) })],
    });
  }

  /** fetch with this browser's cookie, keeping whatever cookie the server sets or clears. */
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const jar = [this.cookie, this.device].filter((c): c is string => c !== null);
    if (jar.length > 0 && !headers.has("cookie")) headers.set("cookie", jar.join("; "));
    const target = new URL(url, this.base);
    const response = await fetch(`${this.base}${target.pathname}${target.search}`, { ...init, headers });
    for (const c of response.headers.getSetCookie()) {
      const [pair] = c.split(";");
      if (pair === undefined) continue;
      const value = pair.slice(pair.indexOf("=") + 1);
      const kept = value === "" || /Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(c) ? null : pair;
      if (pair.startsWith("countersign_device=")) this.device = kept;
      else this.cookie = kept;
    }
    return response;
  }

  rebase(base: string): void {
    this.base = base;
  }

  async login(username: string, password = demoPassword): Promise<Answer> {
    return this.mutate("auth.login", { username, password });
  }

  mutate(path: string, input?: unknown, options: SendOptions = {}): Promise<Answer> {
    const body = options.body ?? (input === undefined ? undefined : JSON.stringify(input));
    // As tRPC's own client: JSON even without a body (FormData sets its own multipart type).
    const headers: Record<string, string> = body instanceof FormData ? {} : { "content-type": "application/json" };
    return this.send(`/trpc/${path}`, {
      method: "POST",
      headers: { ...headers, ...options.headers },
      ...(body === undefined ? {} : { body }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  }

  query(path: string, input?: unknown, options: SendOptions = {}): Promise<Answer> {
    const qs = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
    return this.send(`/trpc/${path}${qs}`, { method: "GET", headers: { ...options.headers } });
  }

  async send(path: string, init: RequestInit): Promise<Answer> {
    const response = await this.fetch(path, init);
    return readAnswer(response);
  }
}

export async function readAnswer(response: Response): Promise<Answer> {
  const raw = await response.text();
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = null;
  }
  // A batch answers an array: judge its first error (or first result).
  const first = Array.isArray(parsed) ? ((parsed.find((p: unknown) => typeof p === "object" && p !== null && "error" in p) ?? parsed[0]) as unknown) : parsed;
  const record = (first ?? {}) as { result?: { data?: unknown }; error?: unknown; message?: unknown };
  if (response.ok) {
    return { status: response.status, ok: true, data: record.result !== undefined ? record.result.data : parsed, headers: response.headers };
  }
  // tRPC's `{ error: { message, data } }`, or a plain `{ error: "Bad Request", message }` from outside tRPC.
  const error = typeof record.error === "object" && record.error !== null ? (record.error as { message?: unknown; data?: ErrorData }) : null;
  const message = typeof error?.message === "string" ? error.message : typeof record.message === "string" ? record.message : "";
  return { status: response.status, ok: false, message, error: error?.data ?? null, raw, headers: response.headers };
}

/** The data of a successful answer, or a thrown error with what the server said. */
export function dataOf<T>(answer: Answer): T {
  if (!answer.ok) throw new Error(`expected success, got ${answer.status} ${answer.error?.refusalCode ?? ""}: ${answer.message || answer.raw.slice(0, 300)}`);
  return answer.data as T;
}

/** A browser signed in as a demo account. */
export async function signedIn(base: string, username: string, password = demoPassword): Promise<Browser> {
  const b = new Browser(base);
  const answer = await b.login(username, password);
  if (!answer.ok) throw new Error(`could not sign in as ${username}: ${answer.status} ${answer.message}`);
  return b;
}

/** The liaison account of a department in the demo. */
export function liaisonOf(department: string): string {
  return department === "MIIT" ? "miit-liaison" : department.toLowerCase();
}
