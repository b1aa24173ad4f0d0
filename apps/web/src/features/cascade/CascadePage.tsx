/**
 * Down the levels (转发, issue 16): a coordinator forwards an issued plan to the level below, takes in what the level
 * above forwarded (derive the implementation plan, then divide and issue it on the division page), and follows the
 * progress below in the regional grid (measure × organisation), drilling down into a child's plan read-only. Every
 * rule is the server's; this page only asks and shows.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";
import { usePageTitle } from "../../app/usePageTitle.js";
import { Dialog } from "../../components/Dialog.js";
import { ErrorNotice } from "../../components/ErrorNotice.js";
import { QueryError } from "../../components/QueryError.js";
import { describeError } from "../../lib/errors.js";
import { useFormat } from "../../lib/format.js";
import { trpc } from "../../trpc.js";
import type { RouterOutputs } from "../../trpc.js";
import type { SessionUser } from "../auth/session.js";
import { FromOwnDocument } from "./FromOwnDocument.js";
import { regionalChanges } from "./regional-changes.js";
import type { RegionalCellChange, RegionalReading } from "./regional-changes.js";

type Named = { nameZh: string; nameEn: string };
type RegionalView = RouterOutputs["cascade"]["regionalView"];

function useName(): (o: Named) => string {
  const { i18n } = useTranslation();
  return (o) => (i18n.language.startsWith("zh") ? o.nameZh : o.nameEn);
}

function useTitle(): (p: { titleZh: string; titleEn: string }) => string {
  const { i18n } = useTranslation();
  return (p) => (i18n.language.startsWith("zh") ? p.titleZh : p.titleEn);
}

export function CascadePage({ user }: { user: SessionUser }) {
  const { t } = useTranslation();
  const name = useName();
  const title = useTitle();
  usePageTitle(t("cascade.title"));
  const around = useQuery(trpc.cascade.organisations.queryOptions());
  const plans = useQuery(trpc.catalog.plans.queryOptions());
  const coordinator = user.role === "coordinator";
  // The drill-down: the plans shown in the regional grid, the first one of the caller's organisation.
  const [trail, setTrail] = useState<number[]>([]);
  const [forwarding, setForwarding] = useState<number | null>(null);
  const [adding, setAdding] = useState<number | null>(null);
  const ownPlans = plans.data ?? [];
  const shown = trail.at(-1) ?? ownPlans.find((p) => p.status === "issued")?.id;

  return (
    <section className="page" aria-labelledby="cascade-title">
      <div className="page-header">
        <h1 id="cascade-title">{t("cascade.title")}</h1>
      </div>
      <p>{t("cascade.intro")}</p>
      {around.isError ? <QueryError error={around.error} onRetry={() => void around.refetch()} /> : null}
      {around.data ? <p data-testid="cascade-organisation">{t("cascade.ownOrganisation", { name: name(around.data.own) })}</p> : null}

      <PendingForwardings coordinator={coordinator} />

      <h2>{t("cascade.plansTitle")}</h2>
      {plans.isError ? <QueryError error={plans.error} onRetry={() => void plans.refetch()} /> : null}
      {plans.data !== undefined && ownPlans.length === 0 ? <p>{t("cascade.plansNone")}</p> : null}
      <ul className="cascade-plans" data-testid="cascade-plans">
        {ownPlans.map((p) => (
          <li key={p.id}>
            <button type="button" className="button button-quiet" aria-pressed={shown === p.id && trail.length <= 1} onClick={() => setTrail([p.id])} disabled={p.status !== "issued"}>
              {title(p)}
            </button>{" "}
            <span>{t(`planStatus.${p.status}`)}</span>{" "}
            {coordinator && p.status === "draft" ? (
              <button type="button" className="button button-small" onClick={() => setAdding(p.id)}>
                {t("cascade.addLocal")}
              </button>
            ) : null}
            {coordinator && p.status === "issued" && (around.data?.children.length ?? 0) > 0 ? (
              <button type="button" className="button button-small" onClick={() => setForwarding(p.id)}>
                {t("cascade.forward")}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {around.data !== undefined && around.data.children.length === 0 ? <p>{t("cascade.noChildren")}</p> : null}
      {forwarding !== null && around.data !== undefined ? (
        <ForwardDialog planId={forwarding} organisations={around.data.children} onClose={() => setForwarding(null)} />
      ) : null}

      {adding !== null ? <LocalMeasureDialog planId={adding} onClose={() => setAdding(null)} /> : null}
      {shown !== undefined ? (
        <RegionalGrid
          planId={shown}
          canGoBack={trail.length > 1}
          onBack={() => setTrail((now) => now.slice(0, -1))}
          onDrill={(planId) => setTrail((now) => [...(now.length === 0 && shown !== undefined ? [shown] : now), planId])}
        />
      ) : null}
    </section>
  );
}

/** The organisation's inbox of 转发 items: each with the forwarded plan to read and, for a coordinator, "derive". */
function PendingForwardings({ coordinator }: { coordinator: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  const name = useName();
  const title = useTitle();
  const queryClient = useQueryClient();
  const pending = useQuery(trpc.cascade.pending.queryOptions());
  const [reading, setReading] = useState<number | null>(null);
  const [made, setMade] = useState<{ planId: number; measures: number } | null>(null);
  const derive = useMutation(
    trpc.cascade.derive.mutationOptions({
      onSuccess: (out) => {
        setMade({ planId: out.planId, measures: out.measures });
        void queryClient.invalidateQueries({ queryKey: trpc.cascade.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.catalog.pathKey() });
      },
    }),
  );
  return (
    <>
      <h2>{t("cascade.pendingTitle")}</h2>
      {pending.isError ? <QueryError error={pending.error} onRetry={() => void pending.refetch()} /> : null}
      {pending.data !== undefined && pending.data.length === 0 ? <p>{t("cascade.pendingNone")}</p> : null}
      <ul className="cascade-pending" data-testid="cascade-pending">
        {(pending.data ?? []).map((f) => (
          <li key={f.forwardingId}>
            <p>
              <strong>
                {t("cascade.pendingItem", { plan: title({ titleZh: f.planTitleZh, titleEn: f.planTitleEn }), from: name(f.from), date: format.dueDate(f.forwardedOn) })}
              </strong>
              <br />
              {t(f.measures.length === 1 ? "cascade.pendingMeasuresOne" : "cascade.pendingMeasures", { n: f.measures.length, deadline: format.dueDate(f.planDeadline) })}
            </p>
            <button type="button" className="button button-small" aria-expanded={reading === f.planId} onClick={() => setReading(reading === f.planId ? null : f.planId)}>
              {t("cascade.readForwarded")}
            </button>{" "}
            {coordinator ? (
              <button type="button" className="button button-small" onClick={() => derive.mutate({ forwardingId: f.forwardingId })} disabled={derive.isPending}>
                {derive.isPending ? t("cascade.deriving") : t("cascade.derive")}
              </button>
            ) : null}{" "}
            {coordinator ? <FromOwnDocument forwardingId={f.forwardingId} onDerived={setMade} /> : null}
            {reading === f.planId ? <PlanMeasures planId={f.planId} /> : null}
          </li>
        ))}
      </ul>
      <ErrorNotice error={derive.isError ? describeError(derive.error) : null} />
      {made !== null ? (
        <p role="status" className="notice">
          {t(made.measures === 1 ? "cascade.derivedOne" : "cascade.derived", { n: made.measures })} <Link href={`/division?plan=${made.planId}`}>{t("cascade.openDivision")}</Link>
        </p>
      ) : null}
    </>
  );
}

/** A plan's measures as the caller's organisation may see them (`cascade.plan`): read-only above, progress below. */
function PlanMeasures({ planId }: { planId: number }) {
  const { t } = useTranslation();
  const format = useFormat();
  const plan = useQuery(trpc.cascade.plan.queryOptions({ planId }));
  if (plan.isError) return <QueryError error={plan.error} onRetry={() => void plan.refetch()} />;
  if (plan.data === undefined) return <p className="loading">{t("app.loading")}</p>;
  // Only a derived plan has local measures: the measures of a plan derived from none (the national one) are not labelled.
  const derived = plan.data.measures.some((m) => m.originNumber !== null);
  return (
    <div className="cascade-plan" data-testid="cascade-plan">
      <p>{t(`cascade.access_${plan.data.access}`)}</p>
      <ol>
        {plan.data.measures.map((m) => (
          <li key={m.number} value={m.number}>
            <strong>{m.title}</strong> <span>{format.dueDate(m.dueDate)}</span>{" "}
            {m.originNumber !== null ? <span>{t("cascade.origin", { n: m.originNumber })}</span> : derived ? <span>{t("cascade.local")}</span> : null}
            {m.state !== null ? <span> · {t(`cascade.state.${m.state}`)}</span> : null}
            {m.text !== null ? <p className="measure-text">{m.text}</p> : null}
          </li>
        ))}
      </ol>
    </div>
  );
}

/** 转发: the children to forward to, the measures (none: all) and the implementation plan's deadline. */
function ForwardDialog({ planId, organisations, onClose }: { planId: number; organisations: Array<Named & { id: string }>; onClose: () => void }) {
  const { t } = useTranslation();
  const name = useName();
  const queryClient = useQueryClient();
  const plan = useQuery(trpc.cascade.plan.queryOptions({ planId }));
  const [to, setTo] = useState<string[]>([]);
  const [measures, setMeasures] = useState<number[]>([]);
  const [deadline, setDeadline] = useState("");
  const [done, setDone] = useState<number | null>(null);
  const deadlineId = useId();
  const needsId = useId();
  const forward = useMutation(
    trpc.cascade.forward.mutationOptions({
      onSuccess: (out) => {
        setDone(out.forwardings.length);
        void queryClient.invalidateQueries({ queryKey: trpc.cascade.pathKey() });
      },
    }),
  );
  const toggle = <T,>(list: T[], value: T): T[] => (list.includes(value) ? list.filter((v) => v !== value) : [...list, value]);
  return (
    <Dialog open title={t("cascade.forwardTitle")} onClose={onClose}>
      {() => (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            forward.mutate({ planId, to, planDeadline: deadline, ...(measures.length > 0 ? { measureNumbers: measures } : {}) });
          }}
        >
          <fieldset>
            <legend>{t("cascade.forwardTo")}</legend>
            <label>
              <input type="checkbox" checked={to.length === organisations.length} onChange={(e) => setTo(e.target.checked ? organisations.map((o) => o.id) : [])} />{" "}
              {t("cascade.forwardAll")}
            </label>
            <div className="checkbox-columns" data-testid="forward-to">
              {organisations.map((o) => (
                <label key={o.id}>
                  <input type="checkbox" checked={to.includes(o.id)} onChange={() => setTo((now) => toggle(now, o.id))} /> {name(o)}
                </label>
              ))}
            </div>
          </fieldset>
          <fieldset>
            <legend>{t("cascade.forwardMeasures")}</legend>
            <div className="checkbox-columns">
              {(plan.data?.measures ?? []).map((m) => (
                <label key={m.number}>
                  <input type="checkbox" checked={measures.includes(m.number)} onChange={() => setMeasures((now) => toggle(now, m.number))} /> ({m.number}) {m.title}
                </label>
              ))}
            </div>
          </fieldset>
          <label htmlFor={deadlineId}>{t("cascade.forwardDeadline")}</label>{" "}
          <input id={deadlineId} type="date" required value={deadline} onChange={(e) => setDeadline(e.target.value)} />
          <ErrorNotice error={forward.isError ? describeError(forward.error) : null} />
          {done !== null ? (
            <p role="status" className="notice">
              {t(done === 1 ? "cascade.forwardedOne" : "cascade.forwarded", { n: done })}
            </p>
          ) : null}
          {to.length === 0 || deadline === "" ? (
            <p id={needsId} className="muted">
              {t("cascade.forwardNeeds")}
            </p>
          ) : null}
          <div className="dialog-actions">
            <button
              type="submit"
              className="button"
              disabled={forward.isPending || to.length === 0 || deadline === ""}
              aria-describedby={to.length === 0 || deadline === "" ? needsId : undefined}
            >
              {forward.isPending ? t("cascade.forwarding") : t("cascade.forwardSubmit")}
            </button>{" "}
            <button type="button" className="button button-quiet" onClick={onClose}>
              {t("cascade.cancel")}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

type RowState = RegionalView["rows"][number]["state"];
type Cell = RegionalView["rows"][number]["cells"][number];

/** How many moved cells a live announcement names before it says "and n more". */
const announcedCells = 5;

/**
 * The regional grid: a row per measure, a column per organisation below; a cell's words, never its colour alone.
 * It refetches on every live change it may hear of (LiveIndicator); when cells moved under the reader's eyes, a line
 * above the grid (a polite live region) says which, so a screen-reader user hears the roll-up change without reading
 * the grid again and a sighted one sees what moved.
 */
function RegionalGrid({ planId, canGoBack, onBack, onDrill }: { planId: number; canGoBack: boolean; onBack: () => void; onDrill: (planId: number) => void }) {
  const { t } = useTranslation();
  const name = useName();
  const view = useQuery(trpc.cascade.regionalView.queryOptions({ planId }));
  const plan = useQuery(trpc.cascade.plan.queryOptions({ planId }));
  const lastReading = useRef<RegionalReading<RowState, Cell> | null>(null);
  // The cells that moved at the last live refetch, worded at render time (a language switch rewords them).
  const [lastMoved, setLastMoved] = useState<RegionalCellChange<RowState, Cell>[]>([]);
  // After a drill-down or a step back the grid is replaced: focus goes to its heading (which names the organisation)
  // rather than being lost with the button pressed, so keyboard and screen-reader users keep their place.
  const heading = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);
  useEffect(() => {
    if (moved.current && view.data?.planId === planId && heading.current !== null) {
      moved.current = false;
      heading.current.focus();
    }
  }, [view.data, planId]);
  useEffect(() => {
    const now = view.data;
    // The same answer (react-query keeps an unchanged answer's identity) or none yet: nothing to say.
    if (now === undefined || now === lastReading.current) return;
    const changes = regionalChanges(lastReading.current, now);
    // Another plan (the drill-down moved): the last change said was of the plan left.
    if (lastReading.current !== null && lastReading.current.planId !== now.planId) setLastMoved([]);
    lastReading.current = now;
    if (changes.length > 0) setLastMoved(changes);
  }, [view.data]);
  if (view.isError) return <QueryError error={view.error} onRetry={() => void view.refetch()} />;
  if (view.data === undefined) return <p className="loading">{t("app.loading")}</p>;
  const data: RegionalView = view.data;
  const columnName = new Map(data.columns.map((c) => [c.id, name(c)]));
  const movedWords = lastMoved.slice(0, announcedCells).map((c) =>
    t("cascade.liveChange", {
      measure: c.measureNumber,
      column: c.column === null ? t("cascade.ownState") : (columnName.get(c.column) ?? c.column),
      state: c.column === null ? t(`cascade.state.${c.to}`) : t(`cascade.cell.${c.to}`),
    }),
  );
  if (lastMoved.length > announcedCells) movedWords.push(t("cascade.liveMore", { n: lastMoved.length - announcedCells }));
  const lastChange = movedWords.length === 0 ? "" : t("cascade.liveChanged", { changes: movedWords.join(t("cascade.liveSeparator")) });
  const planTitle = plan.data === undefined ? "" : name({ nameZh: plan.data.titleZh, nameEn: plan.data.titleEn });
  // A derived plan's title already begins with its organisation's name ("Guangxi …: implementation plan of …").
  const organisationName = name(data.organisation);
  const captionPlan = planTitle.startsWith(organisationName) ? planTitle : `${organisationName} ${planTitle}`.trim();
  return (
    <div className="cascade-regional">
      <h2 ref={heading} tabIndex={-1}>
        {t("cascade.regionalTitleOf", { name: organisationName })}
      </h2>
      {canGoBack ? (
        <button
          type="button"
          className="button button-small"
          onClick={() => {
            moved.current = true;
            onBack();
          }}
        >
          {t("cascade.back")}
        </button>
      ) : null}
      <p>{t("cascade.totals", data.totals)}</p>
      <p role="status" className="regional-changes" data-testid="regional-changes">
        {lastChange}
      </p>
      <div className="table-scroll">
        <table className="grid" data-testid="regional-grid">
          <caption>{t("cascade.regionalCaption", { plan: captionPlan })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("cascade.measure")}</th>
              <th scope="col">{t("cascade.ownState")}</th>
              {data.columns.map((c) => (
                <th scope="col" key={c.id}>
                  {(data.drillDown[c.id] ?? []).length > 0 ? (
                    <button
                      type="button"
                      className="button button-quiet"
                      aria-label={t("cascade.drillDown", { name: name(c) })}
                      onClick={() => {
                        moved.current = true;
                        onDrill(data.drillDown[c.id]?.[0] ?? planId);
                      }}
                    >
                      {name(c)}
                    </button>
                  ) : (
                    name(c)
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.rows.map((r) => (
              <tr key={r.measureNumber}>
                <th scope="row">
                  <span className="measure-no">({r.measureNumber})</span>
                  <span className="measure-title">{r.title}</span>
                </th>
                <td className="status-col" data-state={r.state}>
                  {t(`cascade.state.${r.state}`)}
                </td>
                {r.cells.map((cell, i) => (
                  <td key={data.columns[i]?.id ?? i} className="status-col" data-cell={cell}>
                    {t(`cascade.cell.${cell}`)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** A measure of the organisation's own in its draft implementation plan (its division is set on the division page). */
function LocalMeasureDialog({ planId, onClose }: { planId: number; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [title, setTitle] = useState("");
  const [text, setText] = useState("");
  const [due, setDue] = useState("");
  const [added, setAdded] = useState<number | null>(null);
  const ids = { title: useId(), text: useId(), due: useId() };
  const add = useMutation(
    trpc.cascade.addLocalMeasure.mutationOptions({
      onSuccess: (out) => {
        setAdded(out.measureNumber);
        setTitle("");
        setText("");
        void queryClient.invalidateQueries();
      },
    }),
  );
  return (
    <Dialog open title={t("cascade.addLocalTitle")} onClose={onClose}>
      {() => (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            add.mutate({ planId, title, text, dueDate: due.trim() === "" ? "ongoing" : due.trim() });
          }}
        >
          <p>
            <label htmlFor={ids.title}>{t("cascade.localTitle")}</label>
            <br />
            <input id={ids.title} required value={title} onChange={(e) => setTitle(e.target.value)} />
          </p>
          <p>
            <label htmlFor={ids.text}>{t("cascade.localText")}</label>
            <br />
            <textarea id={ids.text} required rows={4} value={text} onChange={(e) => setText(e.target.value)} />
          </p>
          <p>
            <label htmlFor={ids.due}>{t("cascade.localDue")}</label>
            <br />
            <input id={ids.due} value={due} onChange={(e) => setDue(e.target.value)} />
          </p>
          <ErrorNotice error={add.isError ? describeError(add.error) : null} />
          {added !== null ? (
            <p role="status" className="notice">
              {t("cascade.localAdded", { n: added })}
            </p>
          ) : null}
          <div className="dialog-actions">
            <button type="submit" className="button" disabled={add.isPending || title.trim() === "" || text.trim() === ""}>
              {t("cascade.localSubmit")}
            </button>{" "}
            <button type="button" className="button button-quiet" onClick={onClose}>
              {t("cascade.cancel")}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
