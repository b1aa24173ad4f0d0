import { normaliseText } from "@countersign/domain";
import { ServiceError } from "../errors.js";

/** An unpaired UTF-16 surrogate: JSON can carry one (`"\ud800"`), UTF-8 (and so SQLite) cannot, and would store U+FFFD instead. */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The path (`a.b[0]`) of the first string in `value` that is not well-formed Unicode or holds a NUL (U+0000) between
 * its ends (PostgreSQL's text cannot hold one, SQLSTATE 22021, so neither engine keeps it), or null. Walks with its own
 * stack: a body may nest arrays a hundred thousand deep, which recursion would answer with a stack overflow.
 */
export function illFormedTextPath(value: unknown): { path: string; codeUnit: number } | null {
  const stack: Array<{ value: unknown; path: string }> = [{ value, path: "" }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { value: v, path } = item;
    if (typeof v === "string") {
      const match = loneSurrogate.exec(v);
      if (match !== null) return { path: path === "" ? "(input)" : path, codeUnit: match[0].charCodeAt(0) };
      // Between the ends only: a NUL at an end is trimmed by the domain's normalisation before anything stores it.
      if (v.includes("\u0000") && normaliseText(v).includes("\u0000")) return { path: path === "" ? "(input)" : path, codeUnit: 0 };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: `${path}[${i}]` });
    } else if (v !== null && typeof v === "object") {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i] ?? ["", null];
        const childPath = path === "" ? key : `${path}.${key}`;
        stack.push({ value: child, path: childPath }, { value: key, path: childPath });
      }
    }
  }
  return null;
}

/**
 * Refuses an input with text that is not well-formed Unicode, or holds a NUL, naming the field: stored, it would
 * silently come back altered (U+FFFD) or fail on PostgreSQL, and a record that differs from what was sent must not be
 * kept.
 */
export function refuseIllFormedText(input: unknown): void {
  const found = illFormedTextPath(input);
  if (found === null) return;
  const hex = found.codeUnit.toString(16).toUpperCase().padStart(4, "0");
  const what = found.codeUnit === 0 ? "holds a NUL character (U+0000), which cannot be stored" : `is not valid Unicode (an unpaired surrogate, U+${hex})`;
  throw new ServiceError("invalid_input", `${found.path}: the text ${what}.`, {
    field: found.path,
  });
}
