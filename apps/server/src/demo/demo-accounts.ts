import { departments } from "@countersign/domain";
import type { ActorRole, DepartmentCode } from "@countersign/domain";

export const demoPassword = "countersign-demo";

export interface DemoAccount {
  username: string;
  role: ActorRole;
  department: DepartmentCode | null;
  /** The legacy one-language column (the Chinese name). */
  displayName: string;
  displayNameZh: string;
  displayNameEn: string;
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
  ];
}
