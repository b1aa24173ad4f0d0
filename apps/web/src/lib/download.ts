/**
 * The file name a `Content-Disposition: attachment` header gives (RFC 6266): the UTF-8 `filename*` (RFC 8187
 * percent-encoding, which the server sends for Chinese names) when present and readable, else the plain
 * `filename`; null when the header names none. Only the last path segment is kept.
 */
export function fileNameFromDisposition(header: string | null): string | null {
  if (header === null) return null;
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header)?.[1];
  if (extended !== undefined) {
    try {
      return lastSegment(decodeURIComponent(extended.trim()));
    } catch {
      // A malformed encoding: fall back to the plain name.
    }
  }
  const plain = /filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(header)?.[1] ?? /filename\s*=\s*([^;\s]+)/i.exec(header)?.[1];
  return plain === undefined ? null : lastSegment(plain.replace(/\\(.)/g, "$1"));
}

function lastSegment(name: string): string | null {
  const segment = name.split(/[/\\]/).pop()?.trim() ?? "";
  return segment === "" ? null : segment;
}
