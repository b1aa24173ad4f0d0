import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { issuingDepartmentCodes, maxImportTextBytes, utf8ByteLength } from "@countersign/domain";
import type { DraftDeadline } from "@countersign/domain";
import { ImportRefusal, runImportJob } from "../services/plan/import-job.js";
import type { ImportJobResult } from "../services/plan/import-job.js";
import type { CliCommand, CliIo } from "./command.js";

const help = `usage: cli plan import <FILE> [--json] [--lead CODE]
Reads a policy document or a task-division table (.txt, .docx, .pdf with a text layer, .xlsx, .csv) and prints the
draft plan.import would return: sections, measures with their text and deadline, responsibilities with role and
source (stated by the document, or proposed by the lexicon), and warnings. Saves nothing; needs no database.
--lead: the ministry that leads measures binding all member units (default MIIT). Exit 0, or 1 when the file cannot
become a plan (the reason on standard error).`;

function deadlineText(d: DraftDeadline | null): string {
  if (d === null) return "—";
  return d.kind === "date" ? `${d.date} (${d.stated})` : `ongoing (${d.stated})`;
}

/** The draft in words, one measure per block, for reading documents in bulk. */
export function describeDraft(result: ImportJobResult): string {
  const { draft, division } = result;
  const out: string[] = [];
  out.push(`title: ${draft.title || "(none)"}`);
  if (draft.documentNumber) out.push(`document number: ${draft.documentNumber}`);
  out.push(`source: ${result.source.kind}${result.source.name ? ` ${result.source.name}` : ""}; ${draft.sections.length} sections, ${draft.measures.length} measures`);
  const bySection = new Map<number, string>(draft.sections.map((s) => [s.number, `${s.label} ${s.title}`.trim()]));
  let section = -1;
  for (const m of draft.measures) {
    if (m.section !== section) {
      section = m.section;
      out.push("", `[${bySection.get(section) ?? "(no section)"}]`);
    }
    out.push(`(${m.number}) ${m.title}`);
    out.push(`    text: ${m.text.replace(/\s+/g, " ")}`);
    out.push(`    deadline: ${deadlineText(m.deadline)}`);
    const proposal = division.measures.find((p) => p.measureNumber === m.number);
    for (const r of proposal?.responsibilities ?? []) {
      const evidence = r.source.kind === "stated" ? `stated: ${r.source.note}` : `proposed: ${r.justification.kind === "phrase" ? r.justification.phrase : r.justification.rule}`;
      out.push(`    ${r.role === "lead" ? "lead      " : "supporting"} ${r.department}  (${evidence})${r.mappingNote ? ` [${r.mappingNote}]` : ""}`);
    }
    for (const u of proposal?.unresolved ?? []) out.push(`    unknown    ${u.name} (${u.role}; closest: ${u.closest.join(", ") || "none"})`);
    if (proposal?.needsDecision) out.push("    (no lead: the lead ministry decides)");
  }
  const warnings = draft.warnings.filter((w) => w.kind !== "unassigned_text");
  if (warnings.length > 0) out.push("", "warnings:", ...warnings.map((w) => `  ${w.kind}: ${w.message}`));
  return `${out.join("\n")}\n`;
}

export const planImportCommand: CliCommand = {
  async run(args: string[], io: CliIo): Promise<number> {
    let parsed: ReturnType<typeof parseArgs<{ options: { json: { type: "boolean" }; lead: { type: "string" } }; allowPositionals: true }>>;
    try {
      parsed = parseArgs({ args, options: { json: { type: "boolean" }, lead: { type: "string" } }, allowPositionals: true, strict: true });
    } catch (error) {
      io.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${help}\n`);
      return 2;
    }
    const [sub, path] = parsed.positionals;
    if (sub !== "import" || path === undefined) {
      io.stderr.write(`${help}\n`);
      return 2;
    }
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (error) {
      io.stderr.write(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    }
    const common = { leadMinistry: (parsed.values.lead ?? "MIIT").toUpperCase(), members: [...issuingDepartmentCodes] };
    // A plain .txt under the text limit is read as pasted text; anything else as a file, its type judged by content.
    const asText = /\.txt$/i.test(path) && !bytes.includes(0) && utf8ByteLength(bytes.toString("utf8")) <= maxImportTextBytes;
    try {
      const result = await runImportJob(asText ? { ...common, text: bytes.toString("utf8") } : { ...common, file: { name: basename(path), bytes } });
      io.stdout.write(parsed.values.json === true ? `${JSON.stringify(result, null, 2)}\n` : describeDraft(result));
      return 0;
    } catch (error) {
      if (error instanceof ImportRefusal) {
        io.stderr.write(`${path}: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
  },
};
