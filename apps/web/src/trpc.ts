// The single tRPC client of the web app. It knows the server only by the type of its router.
import type { AppRouter } from "@countersign/server/router";
import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, httpLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { revalidatedQueries } from "@countersign/domain";
import { errorCode, isExpiredSession } from "./lib/errors.js";
import { idempotencyHeaders } from "./lib/idempotency.js";
import { notifySessionExpired } from "./lib/session-events.js";

export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type RouterInputs = inferRouterInputs<AppRouter>;

// Client errors (bad input, refusals, conflicts) will not heal by retrying; network hiccups may.
const noRetryCodes = new Set(["UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND", "CONFLICT", "BAD_REQUEST", "PRECONDITION_FAILED"]);

function onAnyError(error: unknown): void {
  if (isExpiredSession(error)) notifySessionExpired();
}

export const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: onAnyError }),
  mutationCache: new MutationCache({ onError: onAnyError }),
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      retry: (failureCount, error) => failureCount < 2 && !noRetryCodes.has(errorCode(error) ?? ""),
      refetchOnWindowFocus: true,
    },
    mutations: { retry: false },
  },
});

const withCookies: typeof fetch = (input, init) => fetch(input, { ...init, credentials: "include" });
// The browser keeps a revalidated query's answer and asks again every time with If-None-Match (the server answers
// 304 while nothing changed, and the kept answer is used): `no-cache` insists on that even if an answer came without
// its Cache-Control, so a kept answer is never used unasked.
const revalidating: typeof fetch = (input, init) => fetch(input, { ...init, credentials: "include", cache: "no-cache" });

export const trpcClient = createTRPCClient<AppRouter>({
  links: [
    splitLink({
      condition: (op) => op.type === "subscription",
      // Server-sent events; the session cookie goes along because the stream is same-origin.
      true: httpSubscriptionLink({ url: "/trpc", eventSourceOptions: { withCredentials: true } }),
      false: splitLink({
        condition: (op) => op.type === "mutation",
        // Each mutation is its own request: a batch shares one set of headers, and the Idempotency-Key (from the
        // operation's context, see lib/idempotency.ts) belongs to one mutation.
        true: httpLink({ url: "/trpc", fetch: withCookies, headers: ({ op }) => idempotencyHeaders(op.context) }),
        // The server runs at most 10 calls per batch (apps/server/src/security/work-bounds.ts). Queries the server
        // answers with an ETag go in batches of their own: one other query in a batch would leave the batch untagged.
        false: splitLink({
          condition: (op) => revalidatedQueries.has(op.path),
          true: httpBatchLink({ url: "/trpc", fetch: revalidating, maxItems: 10 }),
          false: httpBatchLink({ url: "/trpc", fetch: withCookies, maxItems: 10 }),
        }),
      }),
    }),
  ],
});

export const trpc = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient });
