import { departments } from "@countersign/domain";
import type { ActorRole, DepartmentCode } from "@countersign/domain";

export const demoPassword = "countersign-demo";

export interface DemoAccount {
  username: string;
  role: ActorRole;
  department: DepartmentCode | null;
  displayName: string;
}

/** `miit` (coordinator), one liaison per department named by its code in lower case (`miit-liaison` for MIIT), `observer`, `admin`. */
export function demoAccounts(): DemoAccount[] {
  return [
    { username: "miit", role: "coordinator", department: "MIIT", displayName: "领导小组办公室 (MIIT coordinator)" },
    ...departments.map(
      (d): DemoAccount => ({
        username: d.code === "MIIT" ? "miit-liaison" : d.code.toLowerCase(),
        role: "liaison",
        department: d.code,
        displayName: `${d.shortZh}联络员 (${d.shortEn} liaison)`,
      }),
    ),
    { username: "observer", role: "observer", department: null, displayName: "Observer 观察员" },
    { username: "admin", role: "admin", department: null, displayName: "Administrator 管理员" },
  ];
}
