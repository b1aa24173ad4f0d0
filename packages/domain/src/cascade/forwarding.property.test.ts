import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { randomCascade } from "../test-support/random-cascade.js";
import { type CascadeActor, type CascadePlan, deriveLocalPlan, type Forwarding, forwardPlan, issueCascadePlan } from "./forwarding.js";

const dates = ["2026-11-30", "2026-12-01", "2026-12-01", "2026-12-20", "2027-01-14", "2027-06-30", "2028-01-01", "not a date"] as const;
const today = "2026-12-01";

describe("property: forwarding obeys its rules on random trees", () => {
  it("succeeds exactly when every rule holds, and then sends each chosen measure once to each child, never after the parent's deadline", () => {
    let succeeded = 0;
    let refused = 0;
    fc.assert(
      fc.property(
        fc.array(fc.nat(999), { minLength: 50, maxLength: 300 }),
        fc.nat(999),
        fc.constantFrom<CascadeActor["role"]>("coordinator", "coordinator", "coordinator", "coordinator", "coordinator", "coordinator", "liaison", "observer"),
        fc.array(fc.nat(999), { maxLength: 4 }),
        fc.array(fc.nat(999), { maxLength: 4 }),
        fc.constantFrom(...dates),
        fc.nat(3).map((n) => n === 0),
        fc.nat(3).map((n) => n !== 0),
        fc.boolean(),
        (seed, pickPlan, role, targetPicks, measurePicks, planDeadline, actorElsewhere, amongChildren, keepExisting) => {
          const r = randomCascade(seed);
          const plan = r.plans[pickPlan % r.plans.length];
          if (plan === undefined) return;
          const ids = [...r.tree.byId.keys()];
          // Half the time among the plan's children (so that some succeed), else anywhere in the tree.
          const pool = amongChildren && (r.tree.children.get(plan.organisation) ?? []).length > 0 ? (r.tree.children.get(plan.organisation) ?? []) : ids;
          const to = targetPicks.map((i) => pool[i % pool.length] ?? "");
          // Mostly the plan's own measures, sometimes an id from nowhere.
          const measures = measurePicks.map((i) => (i % 7 === 0 ? "nowhere/1" : (plan.measures[i % plan.measures.length]?.id ?? "nowhere/2")));
          const actor: CascadeActor = { organisation: actorElsewhere ? (ids[pickPlan % ids.length] ?? "") : plan.organisation, role };
          const existing = keepExisting ? r.forwardings.filter((f) => f.plan === plan.id) : [];
          const result = forwardPlan({ tree: r.tree, actor, plan, existing, today, newId: (t) => `new-${t}` }, { to, measures, planDeadline });

          // The rules, worked out on their own.
          const children = new Set(r.tree.children.get(plan.organisation) ?? []);
          const chosen = new Set(measures);
          const sent = new Set(existing.flatMap((f) => f.measures.map((m) => `${f.to}:${m}`)));
          const byId = new Map(plan.measures.map((m) => [m.id, m]));
          const allowed =
            actor.role === "coordinator" &&
            actor.organisation === plan.organisation &&
            plan.status === "issued" &&
            to.length > 0 &&
            to.every((t) => children.has(t)) &&
            chosen.size > 0 &&
            [...chosen].every((m) => byId.has(m)) &&
            to.every((t) => [...chosen].every((m) => !sent.has(`${t}:${m}`))) &&
            /^\d{4}-\d{2}-\d{2}$/.test(planDeadline) &&
            planDeadline >= today &&
            [...chosen].every((m) => {
              const due = byId.get(m)?.dueDate ?? "ongoing";
              return due === "ongoing" || planDeadline <= due;
            });
          expect(result.ok).toBe(allowed);
          if (!result.ok) {
            refused += 1;
            expect(result.refusal.messageZh).toMatch(/\p{Script=Han}/u);
            return;
          }
          succeeded += 1;
          expect(result.value.map((f) => f.to).sort()).toEqual([...new Set(to)].sort());
          for (const f of result.value) {
            expect(f).toMatchObject({ plan: plan.id, from: plan.organisation, planDeadline, forwardedOn: today });
            expect(new Set(f.measures)).toEqual(chosen);
          }
          // Forwarding the same again is always refused: once per child.
          const again = forwardPlan({ tree: r.tree, actor, plan, existing: [...existing, ...result.value], today, newId: (t) => `again-${t}` }, { to, measures, planDeadline });
          expect(again.ok ? null : again.refusal.code).toBe("already_forwarded");
        },
      ),
      { numRuns: 1500 },
    );
    // Both sides are exercised on every run (about 40–50 successes in 1,500).
    expect(succeeded).toBeGreaterThan(15);
    expect(refused).toBeGreaterThan(300);
  });

  it("a derived plan keeps every forwarded measure with its origin and due date, and issues once each measure has a lead", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(999), { minLength: 50, maxLength: 300 }), (seed) => {
        const r = randomCascade(seed);
        const plansById = new Map(r.plans.map((p) => [p.id, p]));
        for (const f of r.forwardings) {
          const parentPlan = plansById.get(f.plan);
          const organisation = r.tree.byId.get(f.to);
          const parentOrganisation = r.tree.byId.get(f.from);
          if (parentPlan === undefined || organisation === undefined || parentOrganisation === undefined) continue;
          const derived = deriveLocalPlan({ actor: { organisation: f.to, role: "coordinator" }, organisation, parentPlan, parentOrganisation, forwardings: [f], plans: [], planId: `D-${f.to}` });
          expect(derived.ok).toBe(parentPlan.status === "issued");
          if (!derived.ok) continue;
          const plan: CascadePlan = derived.value.plan;
          expect(plan.measures.map((m) => m.origin?.measure)).toEqual(f.measures);
          for (const m of plan.measures) expect(m.dueDate).toBe(parentPlan.measures.find((x) => x.id === m.origin?.measure)?.dueDate);
          // The random parents have no division: nothing to mirror, so no lead yet, and issuing says so.
          const issue = (p: CascadePlan, forwardings: readonly Forwarding[]) =>
            issueCascadePlan({ actor: { organisation: f.to, role: "coordinator" }, plan: p, parentPlan, forwardings, otherPlans: [] });
          const first = issue(plan, [f]);
          expect(first.ok ? null : first.refusal.code).toBe("missing_lead");
          const host = organisation.office.host;
          const led = { ...plan, division: plan.measures.map((m) => ({ measure: m.id, department: host, role: "lead" as const })) };
          expect(issue(led, [f]).ok).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});
