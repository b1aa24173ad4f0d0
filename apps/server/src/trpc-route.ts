import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { AnyProcedure, AnyRouter, inferRouterContext } from "@trpc/server";
import { incomingMessageToRequest } from "@trpc/server/adapters/node-http";
import type { FastifyHandlerOptions } from "@trpc/server/adapters/fastify";
import { resolveResponse } from "@trpc/server/http";
import type { TRPCRequestInfo } from "@trpc/server/http";

/**
 * tRPC's options for this route: those of `@trpc/server/adapters/fastify` (router, onError, responseMeta, …), with a
 * `createContext` that every request calls.
 */
export type TrpcRouteOptions<TRouter extends AnyRouter> = Omit<FastifyHandlerOptions<TRouter, FastifyRequest, FastifyReply>, "createContext"> & {
  createContext: (opts: { req: FastifyRequest; res: FastifyReply; info: TRPCRequestInfo }) => Promise<inferRouterContext<TRouter>>;
};

/**
 * tRPC over Fastify at `${prefix}/:path`, as `@trpc/server/adapters/fastify` serves it (the same content-type parsers,
 * `incomingMessageToRequest`, tRPC's own `resolveResponse`, so the protocol, errors and batching are tRPC's), with one
 * change in how the answer leaves (issue 17, reads and writes): a complete JSON answer is read whole and sent as
 * its bytes with their Content-Length, where the stock adapter hands Fastify the fetch `Response`, whose body Fastify pipes
 * through a web-stream reader in chunked transfer encoding (a reader, a pipe and two writes per answer, measured as the
 * largest part of the adapter's cost per request). Streamed answers, subscriptions' server-sent events and JSON lines
 * (`transfer-encoding: chunked` set by tRPC), are still piped as they come.
 *
 * The onSend hooks (the answer cache's in http-cache/register.ts) therefore see a JSON answer as a Buffer with the
 * reply's status and headers already set.
 */
export async function registerTrpcRoute<TRouter extends AnyRouter>(
  app: FastifyInstance,
  options: { prefix: string; trpcOptions: TrpcRouteOptions<TRouter> },
): Promise<void> {
  const { trpcOptions } = options;
  const subscriptions = subscriptionPaths(trpcOptions.router);
  // A plugin of its own: its parsers (the body left as a string for tRPC to parse, as the stock adapter does) stay
  // inside it and do not change how the other routes parse their bodies.
  await app.register(async (scope) => {
    scope.removeContentTypeParser("application/json");
    scope.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) => done(null, body));
    scope.removeContentTypeParser("multipart/form-data");
    scope.addContentTypeParser("multipart/form-data", {}, (_req, body, done) => done(null, body));
    scope.all<{ Params: { path: string } }>(`${options.prefix}/:path`, async (req, reply) => {
      // As the stock adapter: the parsed body (a string) on the message, present even when undefined, so that tRPC
      // does not try to read a stream Fastify has already consumed.
      const incoming: typeof req.raw & { body?: unknown } = req.raw;
      if ("body" in req) incoming.body = req.body;
      const streamsUntilClientLeaves = req.params.path.split(",").some((path) => subscriptions.has(path));
      const response = await resolveResponse<TRouter>({
        ...trpcOptions,
        req:
          (streamsUntilClientLeaves || (req.body !== undefined && typeof req.body !== "string") ? null : requestWithoutSignal(req)) ??
          incomingMessageToRequest(incoming, reply.raw, { maxBodySize: null }),
        path: req.params.path,
        error: null,
        createContext: async ({ info }) => await trpcOptions.createContext({ req, res: reply, info }),
        onError: (o) => trpcOptions.onError?.({ ...o, req }),
      });
      reply.code(response.status);
      for (const [name, value] of response.headers) reply.header(name, value);
      if (response.body === null) return reply.send();
      const streamed = response.headers.has("transfer-encoding") || (response.headers.get("content-type") ?? "") !== "application/json";
      // The bytes as tRPC encoded them (a string would be decoded here and encoded again by Fastify: slower for a big page).
      return reply.send(streamed ? response.body : Buffer.from(await response.arrayBuffer()));
    });
  });
}

/** The paths of the router's subscriptions: the procedures whose answer streams until the client goes away. */
function subscriptionPaths(router: AnyRouter): Set<string> {
  const paths = new Set<string>();
  for (const [path, procedure] of Object.entries(router._def.procedures)) {
    if (isProcedure(procedure) && procedure._def.type === "subscription") paths.add(path);
  }
  return paths;
}

function isProcedure(value: unknown): value is AnyProcedure {
  return typeof value === "function" && "_def" in value;
}

/**
 * The fetch Request tRPC reads, as `incomingMessageToRequest` builds it (the URL, the headers, the method, the body
 * Fastify read as a string) but without the abort signal it links to the connection. Given a signal, undici's Request
 * follows it through a WeakRef and a FinalizationRegistry, whose targets outlive young-generation collections, and
 * building the Request costs more (issue 17's profile of the writes: AbortSignal work was a few per cent). Only a
 * subscription uses the signal (to stop streaming when its client leaves); a query or a mutation runs to its end
 * whether or not its client waits, as a write must. Null when the URL does not parse.
 */
function requestWithoutSignal(req: FastifyRequest): Request | null {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    // HTTP/2 pseudo-headers are not headers (tRPC's createHeaders skips them too).
    if (name.startsWith(":")) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.append(name, value);
  }
  // A URL that does not parse: null, and tRPC's own function refuses it (400) as it always has.
  if (!URL.canParse(req.url, `${req.protocol}://${req.host}`)) return null;
  const url = new URL(req.url, `${req.protocol}://${req.host}`);
  const body = typeof req.body === "string" && req.method !== "GET" && req.method !== "HEAD" ? req.body : undefined;
  return new Request(url, body === undefined ? { method: req.method, headers } : { method: req.method, headers, body });
}
