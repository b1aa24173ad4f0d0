/**
 * `Content-Disposition: attachment` with a Chinese file name (RFC 6266): `filename*=UTF-8''…` (RFC 8187 encoding)
 * for every current browser, and a plain ASCII `filename="…"` for the old ones that ignore `filename*`.
 */

/** RFC 8187 attr-char: letters, digits and !#$&+-.^_`|~ stay; every other byte is percent-encoded. */
function encodeExtValue(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (ch) => `%${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase()}`);
}

/** Quoted-string content safe in any client: printable ASCII without quote or backslash. */
function asciiFallback(value: string): string {
  const ascii = value.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_").trim();
  return ascii === "" ? "download" : ascii;
}

export function attachmentDisposition(filename: string, fallback: string = filename): string {
  return `attachment; filename="${asciiFallback(fallback)}"; filename*=UTF-8''${encodeExtValue(filename)}`;
}
