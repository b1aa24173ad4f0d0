import { departmentRoles } from "@countersign/domain";
import type { DepartmentRole } from "@countersign/domain";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { ErrorNotice } from "../../components/ErrorNotice.js";
import { QueryError } from "../../components/QueryError.js";
import { useAnnounce } from "../../lib/announcer.js";
import { describeError } from "../../lib/errors.js";
import { trpc } from "../../trpc.js";
import type { RouterOutputs } from "../../trpc.js";
import { useDepartments } from "../catalog/departments.js";
import { usePersonText } from "./person-text.js";

type People = RouterOutputs["department"]["people"];
type Person = People["people"][number];

/**
 * Inside a department (issue 15, point 2), for the administrator: its divisions (处室), each department account's
 * part (liaison, handler of a division, leader) and its rule on the leader's approval. Every act is audited.
 */
export function DepartmentPanel() {
  const { t, i18n } = useTranslation();
  const departments = useDepartments();
  const [department, setDepartment] = useState("");
  const chosen = department || departments.list[0]?.code || "";
  const people = useQuery({ ...trpc.department.people.queryOptions({ department: chosen }), enabled: chosen !== "" });
  const selectId = useId();
  const divisionName = (d: { nameZh: string | null; nameEn: string | null }) =>
    (i18n.language === "en" ? (d.nameEn ?? d.nameZh) : (d.nameZh ?? d.nameEn)) ?? "";

  return (
    <section aria-labelledby="inside-title" className="page" data-testid="inside-department">
      <h2 id="inside-title">{t("inside.title")}</h2>
      <p className="muted">{t("inside.intro")}</p>
      <div className="field field-inline">
        <label htmlFor={selectId}>{t("inside.department")}</label>
        <select id={selectId} value={chosen} onChange={(e) => setDepartment(e.target.value)}>
          {departments.list.map((d) => (
            <option key={d.code} value={d.code}>
              {departments.full(d.code)}
            </option>
          ))}
        </select>
      </div>
      {people.isError ? <QueryError error={people.error} /> : null}
      {people.data ? (
        <>
          <LeaderApproval department={people.data.department} required={people.data.leaderApproval} />
          <h3>{t("inside.divisions")}</h3>
          {people.data.divisions.length === 0 ? <p className="muted">{t("inside.noDivisions")}</p> : null}
          <ul data-testid="divisions">
            {people.data.divisions.map((d) => (
              <li key={d.id}>{divisionName(d)}</li>
            ))}
          </ul>
          <NewDivision department={people.data.department} />
          <h3>{t("inside.people")}</h3>
          {people.data.people.length === 0 ? <p className="muted">{t("inside.noPeople")}</p> : null}
          {people.data.people.length > 0 ? (
            <div className="table-wrap">
              <table className="data" data-testid="department-people">
                <thead>
                  <tr>
                    <th scope="col">{t("inside.colPerson")}</th>
                    <th scope="col">{t("inside.colPart")}</th>
                    <th scope="col">{t("inside.colDivision")}</th>
                    <th scope="col">
                      <span className="visually-hidden">{t("inside.save")}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {people.data.people.map((p) => (
                    <PartRow key={p.id} person={p} divisions={people.data.divisions} divisionName={divisionName} />
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

function useRefresh(): () => void {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: trpc.department.people.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.admin.accounts.queryKey() });
  };
}

function LeaderApproval({ department, required }: { department: string; required: boolean }) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const refresh = useRefresh();
  const id = useId();
  // Shown as chosen at once; the server's answer confirms it, or a refusal puts it back.
  const [checked, setChecked] = useState(required);
  useEffect(() => setChecked(required), [required]);
  const set = useMutation(
    trpc.admin.setLeaderApproval.mutationOptions({
      onSuccess: () => {
        announce(t("inside.leaderApprovalSet"), "success");
        refresh();
      },
      onError: (e) => {
        setChecked(required);
        announce(describeError(e), "error");
      },
    }),
  );
  return (
    <div className="field field-inline">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        disabled={set.isPending}
        onChange={(e) => {
          setChecked(e.target.checked);
          set.mutate({ department, required: e.target.checked });
        }}
      />
      <label htmlFor={id}>{t("inside.leaderApproval")}</label>
    </div>
  );
}

function NewDivision({ department }: { department: string }) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const refresh = useRefresh();
  const [nameZh, setNameZh] = useState("");
  const [nameEn, setNameEn] = useState("");
  const zhId = useId();
  const enId = useId();
  const create = useMutation(
    trpc.admin.createDivision.mutationOptions({
      onSuccess: (d) => {
        announce(t("inside.divisionCreated", { name: d.nameZh ?? d.nameEn ?? "" }), "success");
        setNameZh("");
        setNameEn("");
        refresh();
      },
    }),
  );
  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ department, nameZh: nameZh || null, nameEn: nameEn || null });
  }
  return (
    <form onSubmit={submit} aria-label={t("inside.newDivision")} className="toolbar">
      <div className="field">
        <label htmlFor={zhId}>{t("inside.nameZh")}</label>
        <input id={zhId} value={nameZh} maxLength={100} onChange={(e) => setNameZh(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={enId}>{t("inside.nameEn")}</label>
        <input id={enId} value={nameEn} maxLength={100} onChange={(e) => setNameEn(e.target.value)} />
      </div>
      <button type="submit" className="button" disabled={create.isPending}>
        {t("inside.createDivision")}
      </button>
      <ErrorNotice error={create.error === null ? null : describeError(create.error)} />
    </form>
  );
}

function PartRow({
  person,
  divisions,
  divisionName,
}: {
  person: Person;
  divisions: People["divisions"];
  divisionName: (d: { nameZh: string | null; nameEn: string | null }) => string;
}) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const refresh = useRefresh();
  const personText = usePersonText();
  const [part, setPart] = useState<DepartmentRole>(person.departmentRole);
  const [division, setDivision] = useState<string>(person.divisionId === null ? "" : String(person.divisionId));
  const partId = useId();
  const divisionId = useId();
  const name = personText({ username: person.username, displayNameZh: person.displayNameZh, displayNameEn: person.displayNameEn, department: null }, person.username) ?? person.username;
  const save = useMutation(
    trpc.admin.setDepartmentPart.mutationOptions({
      onSuccess: () => {
        announce(t("inside.partSaved", { user: person.username, part: t(`inside.part.${part}`) }), "success");
        refresh();
      },
    }),
  );
  return (
    <tr data-username={person.username}>
      <th scope="row">{name}</th>
      <td>
        <label htmlFor={partId} className="visually-hidden">
          {t("inside.colPart")} ({name})
        </label>
        <select id={partId} value={part} onChange={(e) => setPart(e.target.value as DepartmentRole)}>
          {departmentRoles.map((r) => (
            <option key={r} value={r}>
              {t(`inside.part.${r}`)}
            </option>
          ))}
        </select>
      </td>
      <td>
        <label htmlFor={divisionId} className="visually-hidden">
          {t("inside.colDivision")} ({name})
        </label>
        <select id={divisionId} value={division} onChange={(e) => setDivision(e.target.value)}>
          <option value="">{t("inside.noDivision")}</option>
          {divisions.map((d) => (
            <option key={d.id} value={String(d.id)}>
              {divisionName(d)}
            </option>
          ))}
        </select>
      </td>
      <td>
        <button
          type="button"
          className="button button-small"
          disabled={save.isPending}
          onClick={() => save.mutate({ id: person.id, departmentRole: part, divisionId: division === "" ? null : Number(division) })}
        >
          {t("inside.save")} <span className="visually-hidden">({name})</span>
        </button>
        <ErrorNotice error={save.error === null ? null : describeError(save.error)} />
      </td>
    </tr>
  );
}
