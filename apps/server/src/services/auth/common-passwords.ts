import { checkNewPassword, normalisePassword } from "@countersign/domain";
import { ServiceError } from "../../errors.js";

/**
 * The bundled list of common and breached passwords: the 49,233 entries of `@zxcvbn-ts/language-common` 4.1.3 (MIT,
 * the zxcvbn-ts project's list of the most common passwords in leaked corpora), normalised as the domain compares
 * them. Loaded on first use, not at start-up (it is half a megabyte).
 */
let commonPasswords: Promise<ReadonlySet<string>> | null = null;

export function loadCommonPasswords(): Promise<ReadonlySet<string>> {
  commonPasswords ??= import("@zxcvbn-ts/language-common").then(
    ({ dictionary }) => new Set(dictionary["passwords-common"].map(normalisePassword)),
  );
  return commonPasswords;
}

/** Words a guesser would try on this system: the product's names and the account's user name. */
const productWords = ["countersign", "会签", "会签系统"];

/**
 * Refuses a new password that breaks the domain's rules (`checkNewPassword`, OWASP ASVS 5.0 V6.2), explained, as
 * `weak_password` on `field`.
 */
export async function assertAcceptablePassword(password: string, username: string, field: string): Promise<void> {
  const verdict = checkNewPassword(password, { commonPasswords: await loadCommonPasswords(), contextWords: [username, ...productWords] });
  if (!verdict.ok) throw new ServiceError("weak_password", verdict.message, { field });
}
