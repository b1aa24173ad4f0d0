import type { Department, DepartmentCode } from "@countersign/domain";
import { useQuery } from "@tanstack/react-query";
import { useCallback, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { trpc } from "../../trpc.js";

export interface DepartmentNames {
  /** Departments in order of signature. */
  list: readonly Department[];
  short: (code: DepartmentCode) => string;
  full: (code: DepartmentCode) => string;
}

/** Department names in the chosen language; the catalog comes from the server (a plan is data). */
export function useDepartments(): DepartmentNames {
  const { i18n } = useTranslation();
  const zh = i18n.language !== "en";
  const query = useQuery(trpc.catalog.departments.queryOptions(undefined, { staleTime: Number.POSITIVE_INFINITY }));
  const list = useMemo(() => [...(query.data ?? [])].sort((a, b) => a.order - b.order), [query.data]);
  const byCode = useMemo(() => new Map(list.map((d) => [d.code, d])), [list]);
  const short = useCallback(
    (code: DepartmentCode) => {
      const d = byCode.get(code);
      return d ? (zh ? d.shortZh : d.shortEn) : code;
    },
    [byCode, zh],
  );
  const full = useCallback(
    (code: DepartmentCode) => {
      const d = byCode.get(code);
      return d ? (zh ? d.nameZh : d.nameEn) : code;
    },
    [byCode, zh],
  );
  return useMemo(() => ({ list, short, full }), [list, short, full]);
}
