// The plan every page shows, as the person last chose it in the header's plan switcher: remembered in localStorage
// (per browser, across sign-ins and tabs). An address with `?plan=` still wins, so links to a plan keep working.
import { useSyncExternalStore } from "react";

const storageKey = "countersign.plan";
const listeners = new Set<() => void>();

export function rememberedPlan(): number | null {
  try {
    const value = Number(localStorage.getItem(storageKey));
    return Number.isInteger(value) && value > 0 ? value : null;
  } catch {
    return null;
  }
}

export function rememberPlan(planId: number | null): void {
  try {
    if (planId === null) localStorage.removeItem(storageKey);
    else localStorage.setItem(storageKey, String(planId));
  } catch {
    // Without storage the choice lasts as long as the page.
  }
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  // Another tab's choice applies here too.
  const onStorage = (event: StorageEvent) => {
    if (event.key === storageKey) listener();
  };
  window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", onStorage);
  };
}

export function useRememberedPlan(): number | null {
  return useSyncExternalStore(subscribe, rememberedPlan, () => null);
}
