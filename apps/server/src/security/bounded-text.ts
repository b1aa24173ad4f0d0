/**
 * The longest request value (an Origin header, a procedure path, an address, a refusal message) that is stored
 * anywhere: the audit trail's payloads and the server log. Longer values are cut, with their length noted, so that
 * a request can never make a stored row or log line bigger than this (issue 18, kind 1).
 */
export const storedValueMaxChars = 256;

/**
 * `value` if it is at most `max` UTF-16 units long, else its first units (never half a surrogate pair) followed by
 * `…[N chars]`, N being the original length. Null and undefined stay null.
 */
export function boundedValue(value: string | null | undefined, max: number = storedValueMaxChars): string | null {
  if (value === null || value === undefined) return null;
  if (value.length <= max) return value;
  let cut = value.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut}…[${value.length} chars]`;
}
