/**
 * What counts as written text. One rule for the API, the web forms, the command line and the import: a text with
 * nothing visible once whitespace, zero-width and control characters are set aside is empty (issue 12: a decline
 * reason of `\u200b\u200b` or `\u0000` was accepted and showed as nothing).
 */

/**
 * Characters that print nothing: Unicode whitespace (`\s`), C0 and C1 control characters (`\p{Cc}`), the zero-width
 * space, non-joiner and joiner (U+200B–U+200D), the word joiner and invisible operators (U+2060–U+2064), the
 * byte-order mark (U+FEFF), the soft hyphen (U+00AD), the combining grapheme joiner (U+034F), the Mongolian vowel
 * separator (U+180E), directional marks and isolates (U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), and the Hangul
 * and Braille blanks that pass for letters (U+115F, U+1160, U+3164, U+FFA0, U+2800).
 */
const invisible = "\\s\\p{Cc}\\u00AD\\u034F\\u115F\\u1160\\u180E\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u2064\\u2066-\\u2069\\u2800\\u3164\\uFEFF\\uFFA0";
const onlyInvisible = new RegExp(`^[${invisible}]*$`, "u");
const invisibleAtEdges = new RegExp(`^[${invisible}]+|[${invisible}]+$`, "gu");

/** True when `text` shows nothing: empty, or only whitespace, zero-width, directional or control characters. */
export function isBlankText(text: string): boolean {
  return onlyInvisible.test(text);
}

/**
 * The form in which written text is checked and stored: whitespace, invisible and control characters removed from
 * both ends, everything between kept exactly (docs/api.md promises text in any script back as sent; a zero-width
 * joiner holds an emoji sequence together). Blank text (see `isBlankText`) becomes `""`, so "required" is simply
 * "not empty after this".
 */
export function normaliseText(text: string): string {
  return text.replace(invisibleAtEdges, "");
}
