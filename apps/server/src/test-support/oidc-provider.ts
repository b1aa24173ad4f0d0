import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";
import type { KoaContextWithOIDC } from "oidc-provider";

export interface LocalOidcProvider {
  /** http://127.0.0.1:<port> */
  issuer: string;
  close(): Promise<void>;
}

/**
 * A real OpenID Connect provider (panva's `oidc-provider`) on 127.0.0.1 for the tests: one confidential client, its
 * development sign-in form (any login; the login becomes `sub` and `preferred_username`, and `<login>@example.gov.cn`
 * the e-mail), consent granted without asking, PKCE required.
 */
export async function startOidcProvider(options: { clientId: string; clientSecret: string; redirectUri: string }): Promise<LocalOidcProvider> {
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        redirect_uris: [options.redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    findAccount: async (_ctx: KoaContextWithOIDC, id: string) => ({
      accountId: id,
      claims: async () => ({ sub: id, preferred_username: id, email: `${id}@example.gov.cn`, name: id }),
    }),
    claims: { openid: ["sub"], profile: ["preferred_username", "name"], email: ["email"] },
    pkce: { required: () => true },
    cookies: { keys: ["countersign-test-provider"] },
    features: { devInteractions: { enabled: true } },
    // First-party sign-in: no consent page (the recipe from oidc-provider's documentation).
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const clientId = ctx.oidc.client?.clientId ?? "";
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session?.grantIdFor(clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId, accountId: ctx.oidc.session?.accountId ?? "" });
      grant.addOIDCScope("openid profile email");
      await grant.save();
      return grant;
    },
  });
  handle = provider.callback();
  return {
    issuer,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
