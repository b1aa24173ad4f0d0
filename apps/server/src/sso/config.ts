/**
 * How people sign in on this deployment (issue 15, point 3), read from the environment:
 * - PASSWORD_SIGN_IN=off: no password sign-in (auth.login answers `password_sign_in_off`); default on.
 * - OIDC_ISSUER, OIDC_CLIENT_ID (both needed to turn single sign-on on), OIDC_CLIENT_SECRET (empty: a public client,
 *   PKCE only), OIDC_REDIRECT_URI (default PUBLIC_URL + /auth/oidc/callback), OIDC_USERNAME_CLAIM (default
 *   preferred_username; e.g. email), OIDC_SCOPE (default "openid profile email"), OIDC_STATE_SECRET (signs the
 *   short-lived sign-in cookie; default a random key per process, so a sign-in must finish on the instance that began it).
 */
import { randomBytes } from "node:crypto";

export interface OidcSettings {
  issuer: URL;
  clientId: string;
  clientSecret: string | null;
  redirectUri: string;
  usernameClaim: string;
  scope: string;
  stateSecret: Buffer;
  /** Plain HTTP to the identity provider is allowed only on this machine (tests, development). */
  allowHttp: boolean;
}

export interface SignInSettings {
  password: boolean;
  oidc: OidcSettings | null;
}

export const defaultSignInSettings: SignInSettings = { password: true, oidc: null };

const loopback = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Reads the settings; throws (at start-up) on a half-configured single sign-on, so it never fails later at a sign-in. */
export function readSignInSettings(env: NodeJS.ProcessEnv): SignInSettings {
  const password = (env["PASSWORD_SIGN_IN"] ?? "on").trim().toLowerCase() !== "off";
  const issuerText = env["OIDC_ISSUER"]?.trim() ?? "";
  const clientId = env["OIDC_CLIENT_ID"]?.trim() ?? "";
  if (issuerText === "" && clientId === "") {
    if (!password) throw new Error("PASSWORD_SIGN_IN=off needs single sign-on: set OIDC_ISSUER and OIDC_CLIENT_ID.");
    return { password, oidc: null };
  }
  if (issuerText === "" || clientId === "") throw new Error("Single sign-on needs both OIDC_ISSUER and OIDC_CLIENT_ID.");
  const issuer = new URL(issuerText);
  const base = (env["PUBLIC_URL"] ?? "").trim().replace(/\/+$/, "");
  const redirectUri = env["OIDC_REDIRECT_URI"]?.trim() || (base === "" ? "" : `${base}/auth/oidc/callback`);
  if (redirectUri === "") throw new Error("Single sign-on needs OIDC_REDIRECT_URI, or PUBLIC_URL to derive it from.");
  const secret = env["OIDC_STATE_SECRET"]?.trim() ?? "";
  return {
    password,
    oidc: {
      issuer,
      clientId,
      clientSecret: env["OIDC_CLIENT_SECRET"]?.trim() || null,
      redirectUri,
      usernameClaim: env["OIDC_USERNAME_CLAIM"]?.trim() || "preferred_username",
      scope: env["OIDC_SCOPE"]?.trim() || "openid profile email",
      stateSecret: secret === "" ? randomBytes(32) : Buffer.from(secret, "utf8"),
      allowHttp: issuer.protocol === "http:" && loopback.has(issuer.hostname),
    },
  };
}
