/*
 * Levels of government at scale (issue 16, point 5): a tree of about N organisations, the fixture's national level and
 * its 31 provincial units, with the fixture's sample prefectures and counties kept (so 南宁市 and 隆安县 exist) and
 * generated ones added under every province until N is reached. A generated unit has a well-formed GB/T 2260-shaped
 * code under its parent's (45 71 00, 45 71 01 …, numbers the real tables leave free above 70) and a name saying it is
 * generated (广西壮族自治区第71市); each has the default member departments of its level (~20), registered as rows.
 */
import { buildOrganisationTree, defaultOrganisations, localOrganisation, nationalId } from "@countersign/domain";
import type { Organisation } from "@countersign/domain";
import { ensureOrganisationDepartments, loadOrganisations, writeTransaction } from "@countersign/db";
import type { CountersignDb } from "@countersign/db";

/** Generated prefectures per province, and counties per generated prefecture, until `total` is reached. */
export function organisationsAtScale(total: number): Organisation[] {
  const out = defaultOrganisations();
  const provinces = out.filter((o) => o.level === "province");
  let prefectureNumber = 71;
  while (out.length < total && prefectureNumber <= 99) {
    for (const province of provinces) {
      if (out.length >= total) break;
      const code = `${province.id.slice(0, 2)}${String(prefectureNumber)}00`;
      const prefecture = localOrganisation(
        { code, kind: "prefecture_city", nameZh: `${province.nameZh}第${prefectureNumber}市`, nameEn: `${province.nameEn} City ${prefectureNumber}` },
        "prefecture",
        province.id,
      );
      out.push(prefecture);
      for (let county = 1; county <= 9 && out.length < total; county += 1) {
        out.push(
          localOrganisation(
            { code: `${code.slice(0, 4)}${String(county).padStart(2, "0")}`, kind: "county", nameZh: `${prefecture.nameZh}第${county}县`, nameEn: `${prefecture.nameEn} County ${county}` },
            "county",
            code,
          ),
        );
      }
    }
    prefectureNumber += 1;
  }
  // A malformed tree would make every figure meaningless: the domain's check runs on it.
  buildOrganisationTree(out);
  return out;
}

/**
 * Writes the tree of `organisationsAtScale(total)` and every organisation's member departments into `db` (rows only
 * added). Returns the counts written. The national level's members are the central departments already there.
 */
export function seedOrganisationsAtScale(db: CountersignDb, total: number): { organisations: number; departments: number } {
  const list = organisationsAtScale(total);
  return writeTransaction(db, (tx) => {
    const organisations = loadOrganisations(tx, list);
    let departments = 0;
    for (const o of list) if (o.id !== nationalId) departments += ensureOrganisationDepartments(tx, o.id, o.members).length;
    return { organisations, departments };
  });
}
