import { isIP } from "node:net";

/**
 * Which reverse proxies are trusted to say who the client is (X-Forwarded-For): none, the nearest N hops, or the
 * proxies at these addresses (or CIDR ranges). Never "every hop": with that, a client who sends its own
 * X-Forwarded-For picks the address the sign-in limits and the audit trail see (issue 18, kind 6).
 *
 * The address the server uses is the one the last trusted proxy saw: Fastify (proxy-addr) walks X-Forwarded-For
 * from the right, past the trusted hops, and stops at the first untrusted address.
 */
export type ProxyTrust = false | number | string[];

/**
 * Reads TRUST_PROXY: unset, "" or "0" → trust none; a whole number N (1–10) → trust the N nearest hops; otherwise a
 * comma-separated list of IP addresses or CIDR ranges (e.g. "10.0.0.5,10.1.0.0/16") → trust those proxies.
 * Throws on "true", "all", "*" and anything else, so that a mistaken setting stops the start rather than opens a hole.
 */
export function parseProxyTrust(value: string | undefined): ProxyTrust {
  const v = (value ?? "").trim();
  if (v === "" || v === "0") return false;
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    if (hops < 1 || hops > 10) throw new Error(`TRUST_PROXY must be a hop count from 1 to 10 or a list of proxy addresses, not ${v}`);
    return hops;
  }
  const entries = v.split(",").map((e) => e.trim()).filter((e) => e !== "");
  for (const entry of entries) {
    const [address = "", bits, ...rest] = entry.split("/");
    const family = isIP(address);
    const maxBits = family === 4 ? 32 : 128;
    const bitsOk = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= maxBits && (family !== 4 || Number(bits) >= 8) && (family !== 6 || Number(bits) >= 16));
    if (family === 0 || !bitsOk || rest.length > 0) {
      throw new Error(
        `TRUST_PROXY must be a hop count (e.g. 1) or proxy addresses (e.g. 10.0.0.5,10.1.0.0/16); "${entry}" is neither (trusting every hop is not offered)`,
      );
    }
  }
  return entries;
}

/**
 * The `trustProxy` option of Fastify for a setting. A hop count becomes proxy-addr's own rule (the address `hop` steps
 * from the socket is trusted while `hop < N`), written out because Fastify's types do not list the number form.
 */
export function fastifyTrustProxyOf(trust: ProxyTrust): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust === "number") return (_address, hop) => hop < trust;
  return trust;
}
