/**
 * The XLSX must open cleanly in the spreadsheet programs ministries use. LibreOffice Calc (headless) loads the file
 * and converts it to CSV; a file it had to repair or could not read would fail to convert or lose cells.
 * scripts/ensure-system-packages.sh installs LibreOffice for `npm test`.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, describe, expect, it } from "vitest";
import { buildDivisionTable, buildResponsibilityMatrix, proposedDivision2020 } from "@countersign/domain";
import { labels } from "./labels.js";
import { matrixSheetLayout, renderMatrixXlsx } from "./matrix-xlsx.js";
import { defaultInput } from "./test-support/fixtures.js";

const soffice = ["/usr/bin/soffice", "/usr/bin/libreoffice"].find((p) => existsSync(p));
const dir = mkdtempSync(join(tmpdir(), "countersign-lo-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.runIf(soffice !== undefined || process.env.CI)("XLSX in LibreOffice Calc", () => {
  it("opens the default matrix and shows 25 measure rows × 17 departments with exactly the proposed marks", { timeout: 120_000 }, async () => {
    if (!soffice) throw new Error("LibreOffice is not installed: run scripts/ensure-system-packages.sh");
    const matrix = buildResponsibilityMatrix(defaultInput);
    const xlsx = join(dir, "matrix.xlsx");
    writeFileSync(xlsx, await renderMatrixXlsx(matrix, { lang: "zh", title: "责任分工矩阵", divisionRows: buildDivisionTable(matrix, "zh") }));
    // 44,34,76: comma-separated, double-quoted, UTF-8; the profile dir keeps runs independent of any user profile.
    execFileSync(
      soffice,
      [`-env:UserInstallation=file://${join(dir, "profile")}`, "--headless", "--convert-to", 'csv:Text - txt - csv (StarCalc):44,34,76', "--outdir", dir, xlsx],
      { stdio: "pipe", timeout: 110_000 },
    );
    const rows: string[][] = parse(readFileSync(join(dir, "matrix.csv"), "utf8"), { relaxColumnCount: true });
    const l = labels.zh;
    const header = rows[matrixSheetLayout.headerRow - 1] ?? [];
    expect(header.slice(2, 19)).toEqual(matrix.columns.map((c) => c.shortZh));
    const measureRows = rows.filter((r) => /^\d+$/.test(r[0] ?? ""));
    expect(measureRows).toHaveLength(25);
    const marks = measureRows.flatMap((r) =>
      matrix.columns.flatMap((c, i) => {
        const cell = r[2 + i] ?? "";
        return cell === "" ? [] : [`${r[0]}:${c.code}:${cell === l.roleMark.lead ? "lead" : cell === l.roleMark.supporting ? "supporting" : cell}`];
      }),
    );
    expect(marks.sort()).toEqual(proposedDivision2020.map((p) => `${p.measureNumber}:${p.department}:${p.role}`).sort());
  });
});
