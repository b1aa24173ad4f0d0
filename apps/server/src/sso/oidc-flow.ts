import { createHmac, timingSafeEqual } from "node:crypto";
import * as client from "openid-client";
import type { OidcSettings } from "./config.js";

/** What the browser carries between the redirect to the provider and its return: signed, 10 minutes. */
interface PendingSignIn {
  state: string;
  nonce: string;
  verifier: string;
  next: string;
  expiresAt: number;
}

export const pendingCookieName = "countersign_oidc";
export const pendingLifetimeMs = 10 * 60 * 1000;

export class OidcFailure extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "OidcFailure";
  }
}

/**
 * The authorization code flow with PKCE (S256), state and nonce, through `openid-client` (panva): `begin` gives the
 * provider's address and the signed cookie to set; `finish` checks the provider's answer (state, PKCE, the ID token's
 * signature, issuer, audience, nonce and expiry are openid-client's checks) and returns the claims, with the user
 * info's when the ID token lacks the configured claim. The provider's metadata is discovered on first use and kept.
 */
export class OidcFlow {
  private configuration: Promise<client.Configuration> | null = null;

  constructor(private readonly settings: OidcSettings) {}

  private config(): Promise<client.Configuration> {
    const s = this.settings;
    this.configuration ??= client
      .discovery(
        s.issuer,
        s.clientId,
        s.clientSecret ?? undefined,
        s.clientSecret === null ? client.None() : client.ClientSecretBasic(s.clientSecret),
        s.allowHttp ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        // Try discovery again at the next sign-in: the provider may have been down for a moment.
        this.configuration = null;
        throw new OidcFailure("The identity provider could not be reached.", { cause: error });
      });
    return this.configuration;
  }

  async begin(next: string, now: Date): Promise<{ url: URL; cookie: string }> {
    const config = await this.config();
    const pending: PendingSignIn = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      verifier: client.randomPKCECodeVerifier(),
      next,
      expiresAt: now.getTime() + pendingLifetimeMs,
    };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUri,
      scope: this.settings.scope,
      code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: "S256",
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url, cookie: this.sign(pending) };
  }

  async finish(requestUrl: string, cookie: string | undefined, now: Date): Promise<{ claims: Record<string, unknown>; next: string }> {
    const pending = cookie === undefined ? null : this.verify(cookie);
    if (pending === null || pending.expiresAt <= now.getTime()) throw new OidcFailure("The sign-in took too long or was not started here; start again.");
    const config = await this.config();
    // The callback's address as the provider saw it: the configured redirect URI's origin, this request's path and query.
    const currentUrl = new URL(requestUrl, this.settings.redirectUri);
    try {
      const tokens = await client.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const idClaims = tokens.claims();
      if (idClaims === undefined) throw new OidcFailure("The identity provider sent no ID token.");
      let claims: Record<string, unknown> = { ...idClaims };
      if (claims[this.settings.usernameClaim] === undefined) {
        const info = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
        claims = { ...info, ...claims };
      }
      return { claims, next: pending.next };
    } catch (error) {
      if (error instanceof OidcFailure) throw error;
      throw new OidcFailure("The identity provider's answer failed its checks.", { cause: error });
    }
  }

  private sign(pending: PendingSignIn): string {
    const body = Buffer.from(JSON.stringify(pending)).toString("base64url");
    return `${body}.${createHmac("sha256", this.settings.stateSecret).update(body).digest("base64url")}`;
  }

  private verify(cookie: string): PendingSignIn | null {
    const [body, mac] = cookie.split(".");
    if (body === undefined || mac === undefined) return null;
    const expected = Buffer.from(createHmac("sha256", this.settings.stateSecret).update(body).digest("base64url"));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    const value: unknown = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
    if (value === null || typeof value !== "object") return null;
    const p = value as Record<string, unknown>;
    const text = (k: string): string | null => (typeof p[k] === "string" ? (p[k] as string) : null);
    const state = text("state");
    const nonce = text("nonce");
    const verifier = text("verifier");
    const next = text("next");
    if (state === null || nonce === null || verifier === null || next === null || typeof p["expiresAt"] !== "number") return null;
    return { state, nonce, verifier, next, expiresAt: p["expiresAt"] };
  }
}
