/**
 * Which new passwords are accepted, as OWASP ASVS 5.0.0 (May 2025) chapter V6.2 asks:
 * - length over composition: at least `passwordRules.minLength` characters (V6.2.1 asks at least 8 and strongly
 *   recommends 15; NIST SP 800-63B-4 §3.1.1.2 asks 15 for a password used alone, as here), counted in Unicode code
 *   points of the NFC form, so a Chinese passphrase counts its characters;
 * - at least 64 characters allowed (V6.2.9): up to `passwordRules.maxLength`;
 * - no composition rules (V6.2.5): any character, spaces included; nothing truncated or case-folded when stored (V6.2.8);
 * - refused when found in a list of common and breached passwords (V6.2.4, V6.2.12), checked normalised (below), and
 *   when it is a context word such as the user name or the product's name (V6.2.11).
 * Pure: the caller passes the list (the server bundles one; see apps/server/src/services/auth/common-passwords.ts).
 */

export const passwordRules = {
  minLength: 15,
  maxLength: 256,
  source: "OWASP ASVS 5.0.0 V6.2.1, V6.2.4, V6.2.5, V6.2.9, V6.2.11, V6.2.12; NIST SP 800-63B-4 §3.1.1.2",
} as const;

export type PasswordProblem = "too_short" | "too_long" | "common" | "context";

export type PasswordVerdict = { ok: true } | { ok: false; problem: PasswordProblem; message: string };

/** The form a password is compared with the list in: NFKC, lower case, inner runs of white space as one space, trimmed. */
export function normalisePassword(password: string): string {
  return password.normalize("NFKC").toLowerCase().replace(/\s+/gu, " ").trim();
}

/** The length ASVS counts: Unicode code points of the NFC form. */
export function passwordLength(password: string): number {
  return [...password.normalize("NFC")].length;
}

/** The shortest unit the text repeats ("abcabcabc" → "abc"), or the text itself. */
function repeatedUnit(text: string): string {
  const chars = [...text];
  for (let size = 1; size <= chars.length / 2; size++) {
    if (chars.length % size !== 0) continue;
    const unit = chars.slice(0, size).join("");
    if (unit.repeat(chars.length / size) === text) return unit;
  }
  return text;
}

/**
 * The normalised forms looked up in the list: the whole; without digits, punctuation and spaces at either end
 * ("Password2024!" → "password"); without spaces; and the unit of a repetition ("qwertyqwerty" → "qwerty").
 */
export function passwordCandidates(password: string): string[] {
  const whole = normalisePassword(password);
  const stripped = whole.replace(/^[\p{N}\p{P}\p{S}\s]+|[\p{N}\p{P}\p{S}\s]+$/gu, "");
  const compact = whole.replace(/\s/gu, "");
  const forms = [whole, stripped, compact, repeatedUnit(compact), repeatedUnit(stripped.replace(/\s/gu, ""))];
  return [...new Set(forms)];
}

/**
 * Whether a new password may be set. `commonPasswords` holds normalised entries (see `normalisePassword`);
 * `contextWords` are words this deployment's users would guess: the user name, the product's name.
 */
export function checkNewPassword(
  password: string,
  context: { commonPasswords: ReadonlySet<string>; contextWords: readonly string[] },
): PasswordVerdict {
  const length = passwordLength(password);
  if (length < passwordRules.minLength) {
    return {
      ok: false,
      problem: "too_short",
      message: `A password has at least ${passwordRules.minLength} characters (this one has ${length}); a few words make a good one, any characters allowed.`,
    };
  }
  if (length > passwordRules.maxLength) {
    return { ok: false, problem: "too_long", message: `A password has at most ${passwordRules.maxLength} characters.` };
  }
  const candidates = passwordCandidates(password);
  // What is left of a password once digits and symbols at its ends are taken off, or a repetition reduced to its unit
  // ("abababab…", "1111…1x"), is as guessable as a listed password when it is 3 characters or fewer.
  if (candidates.some((c) => context.commonPasswords.has(c) || [...c].length <= 3)) {
    return {
      ok: false,
      problem: "common",
      message: "This password is in a list of common or breached passwords (or is one repeated, or with digits and symbols added, or mostly digits); choose another.",
    };
  }
  // A context word dressed with digits and symbols ("mof2024-mof2024", "Countersign 2026!") is the word.
  const words = context.contextWords.map(normalisePassword).filter((w) => [...w].length >= 3);
  const rest = (c: string, w: string): number => [...c.split(w).join("").replace(/[\p{N}\p{P}\p{S}\s]/gu, "")].length;
  if (candidates.some((c) => words.some((w) => c.includes(w) && rest(c, w) <= 3))) {
    return { ok: false, problem: "context", message: "A password may not be your user name or the name of this system; choose another." };
  }
  return { ok: true };
}
