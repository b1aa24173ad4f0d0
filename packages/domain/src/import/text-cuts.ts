/*
 * Finding where a published measure text loses words. Translations of Chinese policy documents drop words and full
 * stops; the text is kept as published, and the parser only points at the places. Two findings:
 * - "text_cut": the measure ends mid-sentence, or a sentence breaks off unfinished and the next one starts
 *   ("small and medium- Measures such as"). The measure gets `textCut: true`.
 * - "missing_full_stop": a sentence runs into the next without a full stop but its last phrase is complete
 *   ("… small and medium-sized enterprises We will …"): nothing is lost, the coordinator may still want to look.
 */

export interface TextCutFinding {
  kind: "text_cut" | "missing_full_stop";
  /** Offsets into the measure text. */
  start: number;
  end: number;
}

/** A measure ends on one of these (possibly followed by a closing quote or bracket). */
const terminal = "。！？.!?；;…．";
const closers = "”\"’'」』）)】》";

/**
 * Words that open a sentence in these documents: pronouns and the imperatives policy texts begin with. A lowercase
 * word followed by one of them, with no full stop between, is a sentence boundary that lost its full stop.
 * Capitalised nouns ("the Law on the Promotion of …", "Financial Enterprises") are not here: translations capitalise
 * names mid-sentence.
 */
export const sentenceOpeners: ReadonlySet<string> = new Set([
  "We",
  "They",
  "It",
  "This",
  "These",
  "The",
  "Accelerate",
  "Actively",
  "Adhere",
  "Build",
  "Carry",
  "Clean",
  "Comprehensively",
  "Continue",
  "Coordinate",
  "Cultivate",
  "Deepen",
  "Develop",
  "Encourage",
  "Enhance",
  "Ensure",
  "Establish",
  "Expand",
  "Explore",
  "Facilitate",
  "Focus",
  "Formulate",
  "Foster",
  "Further",
  "Give",
  "Gradually",
  "Guide",
  "Implement",
  "Improve",
  "Increase",
  "Link",
  "Make",
  "Optimize",
  "Promote",
  "Properly",
  "Provide",
  "Reduce",
  "Regularly",
  "Revise",
  "Simplify",
  "Speed",
  "Standardize",
  "Steadily",
  "Strengthen",
  "Strictly",
  "Study",
  "Support",
  "Timely",
  "Urge",
  "Vigorously",
]);

/** After these a capitalised word is a name or a title ("the Measures for …"), not a new sentence. */
const determiners = new Set(["the", "a", "an", "this", "these", "that", "its", "their", "our", "his", "her"]);

/**
 * Endings that cannot close a sentence: the phrase was cut. A modifier or a function word left without its noun
 * ("small and medium", "medium-sized", "of"); "legitimate rights", which these texts always continue as
 * "legitimate rights and interests" (合法权益); and a second member of a pair left bare ("… and a system").
 */
const incompleteEndings: readonly RegExp[] = [
  /(?:^|[^A-Za-z-])(?:small|medium|medium-sized|small-sized|large|micro|and|or|of|for|to|with|in|on|by|at|from|as|such as)$/i,
  /\blegitimate rights$/i,
  /\band an? [a-z]+$/,
];

function endsComplete(text: string): boolean {
  let i = text.length - 1;
  while (i >= 0 && closers.includes(text.charAt(i))) i--;
  return i >= 0 && terminal.includes(text.charAt(i));
}

const isLetter = (code: number): boolean => (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
const isUpper = (code: number): boolean => code >= 65 && code <= 90;
/** Letters, apostrophes and hyphens: the characters a word of the pair may hold. */
const isWordChar = (code: number): boolean => isLetter(code) || code === 39 || code === 0x2019 || code === 45;

/**
 * Pairs "word Word": a word (from its first letter to the end of its run of letters, apostrophes and hyphens), one or
 * more spaces or tabs, then a capitalised word (its run of letters). Found in one pass over the text: a regular
 * expression for this backtracks over every start inside a long run of letters, which is quadratic (issue 18).
 */
function* wordPairs(text: string): Generator<{ start: number; previous: string; next: string; spacesEnd: number }> {
  let i = 0;
  const n = text.length;
  while (i < n) {
    if (!isWordChar(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const runStart = i;
    while (i < n && isWordChar(text.charCodeAt(i))) i++;
    let first = runStart;
    while (first < i && !isLetter(text.charCodeAt(first))) first++;
    if (first === i) continue;
    let j = i;
    while (j < n && (text.charAt(j) === " " || text.charAt(j) === "\t")) j++;
    if (j === i || j >= n || !isUpper(text.charCodeAt(j))) continue;
    let k = j;
    while (k < n && isLetter(text.charCodeAt(k))) k++;
    yield { start: first, previous: text.slice(first, i), next: text.slice(j, k), spacesEnd: j };
    // The capitalised word may open the next pair: scanning resumes at it.
    i = j;
  }
}

export function detectTextCuts(text: string): TextCutFinding[] {
  const findings: TextCutFinding[] = [];
  for (const { start, previous, next, spacesEnd } of wordPairs(text)) {
    const dangling = previous.endsWith("-");
    const opensSentence =
      /^[a-z]/.test(previous) && sentenceOpeners.has(next) && !determiners.has(previous.toLowerCase());
    if (!dangling && !opensSentence) continue;
    // The ending tests look at the last 60 characters before the break, whatever the length of the word.
    const before = text.slice(Math.max(0, start - 60, start + previous.length - 120), start + previous.length);
    const cut = dangling || incompleteEndings.some((ending) => ending.test(before));
    findings.push({ kind: cut ? "text_cut" : "missing_full_stop", start, end: spacesEnd + next.length });
  }
  if (!endsComplete(text)) {
    // Point at the last word, or the last phrase of Chinese text (or the empty end of an empty measure).
    let start = text.length;
    while (start > 0 && !/[\s，。；、：,;:]/.test(text.charAt(start - 1)) && text.length - start < 40) start--;
    findings.push({ kind: "text_cut", start, end: text.length });
  }
  return findings;
}
