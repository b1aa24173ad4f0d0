// Reading (and, for Chinese, writing) the numbers policy documents print: 一 … 九十九, I … LXXXIX, 1 … 999 (half- or full-width), First … .

const chineseDigits: Readonly<Record<string, number>> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

const chineseUnits: Readonly<Record<string, number>> = { 十: 10, 百: 100, 千: 1000 };

/**
 * The value of a Chinese numeral written with 一…九, 〇/零, 两 and the units 十, 百, 千 (`七` 7, `十二` 12,
 * `二十五` 25, `一百零三` 103), or null when the characters do not form one such numeral below 10,000. Digits without
 * units (`二三`) give null, and so does a unit without its digit, but for a bare 十 at the start (`十二` = 12).
 * The one reader of Chinese numerals: headings in imported documents and measure numbers typed into search.
 */
export function chineseNumeralValue(numeral: string): number | null {
  if (numeral.length === 0 || numeral.length > 12) return null;
  let total = 0;
  let pending: number | null = null;
  let lastUnit = Number.POSITIVE_INFINITY;
  let previousWasDigit = false;
  for (const ch of numeral) {
    const digit = chineseDigits[ch];
    if (digit !== undefined) {
      // Two digits in a row (二三) are no numeral; a 零 between units (一百零三) is.
      if (previousWasDigit && digit !== 0 && pending !== 0) return null;
      pending = digit;
      previousWasDigit = true;
      continue;
    }
    const unit = chineseUnits[ch];
    if (unit === undefined || unit >= lastUnit) return null;
    const multiplier = pending !== null && pending !== 0 ? pending : pending === null && unit === 10 && total === 0 ? 1 : null;
    if (multiplier === null) return null;
    total += multiplier * unit;
    pending = null;
    lastUnit = unit;
    previousWasDigit = false;
  }
  total += pending ?? 0;
  return total > 0 ? total : null;
}

const chineseDigitNames = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"] as const;

/** 1 → 一, 10 → 十, 12 → 十二, 25 → 二十五 (1 to 99, else digits): how the Chinese original numbers sections and measures. */
export function chineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 99) return String(n);
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  const digit = (d: number): string => chineseDigitNames[d] ?? String(d);
  const tensPart = tens === 0 ? "" : `${tens === 1 ? "" : digit(tens)}十`;
  return `${tensPart}${ones === 0 ? "" : digit(ones)}`;
}

const romanPattern = /^(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$/;
const romanValues: Readonly<Record<string, number>> = { I: 1, V: 5, X: 10, L: 50, C: 100 };

/** I → 1, VII → 7, XXV → 25 (up to 89); null for anything that is not a well-formed numeral. */
export function romanNumeralValue(numeral: string): number | null {
  if (numeral.length === 0 || !romanPattern.test(numeral)) return null;
  let total = 0;
  for (let i = 0; i < numeral.length; i++) {
    const value = romanValues[numeral.charAt(i)] ?? 0;
    const next = romanValues[numeral.charAt(i + 1)] ?? 0;
    total += value < next ? -value : value;
  }
  return total > 0 ? total : null;
}

/** "12" or full-width "１２" → 12. */
export function arabicNumeralValue(digits: string): number | null {
  let value = 0;
  for (const ch of digits) {
    const code = ch.charCodeAt(0);
    const digit = code >= 0x30 && code <= 0x39 ? code - 0x30 : code >= 0xff10 && code <= 0xff19 ? code - 0xff10 : -1;
    if (digit < 0) return null;
    value = value * 10 + digit;
  }
  return digits.length > 0 ? value : null;
}

const ordinalUnits = [
  "First",
  "Second",
  "Third",
  "Fourth",
  "Fifth",
  "Sixth",
  "Seventh",
  "Eighth",
  "Ninth",
  "Tenth",
  "Eleventh",
  "Twelfth",
  "Thirteenth",
  "Fourteenth",
  "Fifteenth",
  "Sixteenth",
  "Seventeenth",
  "Eighteenth",
  "Nineteenth",
] as const;
const ordinalTens = ["Twentieth", "Thirtieth", "Fortieth"] as const;
const cardinalTens = ["Twenty", "Thirty", "Forty"] as const;

const ordinalWordValues: ReadonlyMap<string, number> = (() => {
  const map = new Map<string, number>();
  for (const [i, word] of ordinalUnits.entries()) map.set(word, i + 1);
  for (const [t, tens] of cardinalTens.entries()) {
    map.set(ordinalTens[t] ?? "", (t + 2) * 10);
    for (const [u, unit] of ordinalUnits.slice(0, 9).entries()) map.set(`${tens}-${unit.toLowerCase()}`, (t + 2) * 10 + u + 1);
  }
  return map;
})();

/** The ordinal words an English translation numbers items with, longest first so a regex prefers "Twenty-first". */
export const ordinalWords: readonly string[] = [...ordinalWordValues.keys()].sort((a, b) => b.length - a.length);

/** "First" → 1, "Twenty-fifth" → 25 (a trailing "ly" is accepted: "Firstly"). */
export function ordinalWordValue(word: string): number | null {
  const bare = word.endsWith("ly") ? word.slice(0, -2) : word;
  return ordinalWordValues.get(bare) ?? null;
}
