import * as OpenCC from "opencc-js";

/*
 * Traditional → simplified script for matching unit names in imported documents (關於…財政部 → 关于…财政部).
 * opencc-js (Open Chinese Convert) with its Taiwan and Hong Kong dictionaries. The parser needs a conversion that
 * keeps the length (its offsets point into the text as printed): opencc's phrase tables can change it, so where the
 * whole-text conversion does, each character is converted on its own.
 */
const fromTaiwan = OpenCC.Converter({ from: "tw", to: "cn" });
const fromHongKong = OpenCC.Converter({ from: "hk", to: "cn" });

/** `text` in simplified script, the same length as `text`. */
export function toSimplified(text: string): string {
  const converted = fromHongKong(fromTaiwan(text));
  if (converted.length === text.length) return converted;
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    const one = fromHongKong(fromTaiwan(ch));
    out += one.length === 1 ? one : ch;
  }
  return out;
}
