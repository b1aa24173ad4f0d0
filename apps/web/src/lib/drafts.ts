// What a person types into a reason or summary is kept in sessionStorage as they type, so that an expired
// session (sign-in again) or an accidental reload does not lose it. Cleared once the server has accepted it.
import { useCallback, useState } from "react";

const prefix = "countersign.draft.";

function read(key: string): string {
  try {
    return sessionStorage.getItem(prefix + key) ?? "";
  } catch {
    return "";
  }
}

function write(key: string, value: string): void {
  try {
    if (value === "") sessionStorage.removeItem(prefix + key);
    else sessionStorage.setItem(prefix + key, value);
  } catch {
    // Without storage the draft lives only in memory.
  }
}

export function readDraft(key: string): string {
  return read(key);
}

export function clearDraft(key: string): void {
  write(key, "");
}

/** A text field's value that survives sign-in and reload for this tab. */
export function useDraft(key: string): [string, (value: string) => void, () => void] {
  const [value, setValue] = useState(() => read(key));
  const [boundKey, setBoundKey] = useState(key);
  if (boundKey !== key) {
    setBoundKey(key);
    setValue(read(key));
  }
  const update = useCallback(
    (next: string) => {
      setValue(next);
      write(key, next);
    },
    [key],
  );
  const clear = useCallback(() => {
    setValue("");
    write(key, "");
  }, [key]);
  return [value, update, clear];
}

/** On an explicit sign-out nothing typed is kept for the next person at this computer. */
export function clearAllDrafts(): void {
  try {
    for (let i = sessionStorage.length - 1; i >= 0; i--) {
      const key = sessionStorage.key(i);
      if (key?.startsWith(prefix)) sessionStorage.removeItem(key);
    }
  } catch {
    // Nothing stored.
  }
}

export function writeDraft(key: string, value: string): void {
  write(key, value);
}
