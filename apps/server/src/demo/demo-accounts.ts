import { defaultOrganisations, departments } from "@countersign/domain";
import type { ActorRole, DepartmentCode } from "@countersign/domain";
import { ensureOrganisationDepartments } from "@countersign/db";
import type { Queryable } from "@countersign/db";

export const demoPassword = "countersign-demo";

export interface DemoAccount {
  username: string;
  role: ActorRole;
  department: DepartmentCode | null;
  /** The legacy one-language column (the Chinese name). */
  displayName: string;
  displayNameZh: string;
  displayNameEn: string;
  /** The organisation the account belongs to (issue 16); absent: the national level. */
  organisationId?: string;
}

/** `miit` (coordinator), one liaison per department named by its code in lower case (`miit-liaison` for MIIT), `observer`, `admin`. */
export function demoAccounts(): DemoAccount[] {
  return [
    {
      username: "miit",
      role: "coordinator",
      department: "MIIT",
      displayName: "领导小组办公室",
      displayNameZh: "领导小组办公室",
      displayNameEn: "MIIT coordinator",
    },
    ...departments.map(
      (d): DemoAccount => ({
        username: d.code === "MIIT" ? "miit-liaison" : d.code.toLowerCase(),
        role: "liaison",
        department: d.code,
        displayName: `${d.shortZh}联络员`,
        displayNameZh: `${d.shortZh}联络员`,
        displayNameEn: `${d.shortEn} liaison`,
      }),
    ),
    { username: "observer", role: "observer", department: null, displayName: "观察员", displayNameZh: "观察员", displayNameEn: "Observer" },
    { username: "admin", role: "admin", department: null, displayName: "管理员", displayNameZh: "管理员", displayNameEn: "Administrator" },
    ...cascadeDemoAccounts(),
  ];
}

/**
 * Down the levels (issue 16): the offices and some liaisons of two provinces and one city, so that the national plan
 * can be forwarded, taken in and rolled up in the demo. Usernames: `<place>-office` for the leading-group office's
 * coordinator, `<place>-<line>` for a liaison (`gx-sta`: 国家税务总局广西壮族自治区税务局).
 */
const cascadeDemo: ReadonlyArray<{ place: string; organisation: string; lines: readonly string[] }> = [
  { place: "zj", organisation: "330000", lines: ["MIIT", "MOF", "STA"] },
  { place: "gx", organisation: "450000", lines: ["MIIT", "NDRC", "MOF", "MOFCOM", "STA", "SAMR"] },
  { place: "nn", organisation: "450100", lines: ["MIIT", "NDRC", "MOF", "STA", "SAMR"] },
];

function cascadeDemoAccounts(): DemoAccount[] {
  const organisations = new Map(defaultOrganisations().map((o) => [o.id, o]));
  return cascadeDemo.flatMap(({ place, organisation, lines }) => {
    const o = organisations.get(organisation);
    if (o === undefined) return [];
    const office: DemoAccount = {
      username: `${place}-office`,
      role: "coordinator",
      department: o.office.host,
      displayName: `${o.nameZh}领导小组办公室`,
      displayNameZh: `${o.nameZh}领导小组办公室`,
      displayNameEn: `${o.nameEn} office coordinator`,
      organisationId: organisation,
    };
    const liaisons = o.members
      .filter((m) => lines.includes(m.line))
      .map(
        (m): DemoAccount => ({
          username: `${place}-${m.line.toLowerCase()}`,
          role: "liaison",
          department: m.code,
          displayName: `${m.nameZh}联络员`,
          displayNameZh: `${m.nameZh}联络员`,
          displayNameEn: `${m.nameEn} liaison`,
          organisationId: organisation,
        }),
      );
    return [office, ...liaisons];
  });
}

/** Registers the member departments of the demo's provinces and city, so their accounts can name them. Idempotent. */
export function registerDemoOrganisations(tx: Queryable): void {
  const organisations = new Map(defaultOrganisations().map((o) => [o.id, o]));
  for (const { organisation } of cascadeDemo) {
    const o = organisations.get(organisation);
    if (o !== undefined) ensureOrganisationDepartments(tx, o.id, o.members);
  }
}
