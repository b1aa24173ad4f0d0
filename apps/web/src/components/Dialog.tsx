import { useEffect, useId, useRef } from "react";
import type { ReactNode } from "react";

/**
 * A modal <dialog>: the browser makes the rest of the page inert, keeps focus inside and closes on Escape;
 * focus returns to the control that opened it.
 */
export function Dialog({
  open,
  title,
  onClose,
  children,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: (ids: { titleId: string }) => ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const opener = useRef<Element | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement;
      dialog.showModal();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const onCancel = (event: Event) => {
      event.preventDefault();
      onClose();
    };
    const onDialogClose = () => {
      if (opener.current instanceof HTMLElement && opener.current.isConnected) opener.current.focus();
    };
    dialog.addEventListener("cancel", onCancel);
    dialog.addEventListener("close", onDialogClose);
    return () => {
      dialog.removeEventListener("cancel", onCancel);
      dialog.removeEventListener("close", onDialogClose);
    };
  }, [onClose]);

  // Most dialogs are unmounted rather than closed: give focus back to their opener then too.
  useEffect(
    () => () => {
      // The opener may be gone (the action it offered is no longer allowed): then the page's main region.
      requestAnimationFrame(() => {
        const back = opener.current;
        if (back instanceof HTMLElement && back.isConnected) back.focus();
        else document.getElementById("main")?.focus();
      });
    },
    [],
  );

  return (
    <dialog ref={ref} className="action-dialog" aria-labelledby={titleId} aria-modal="true">
      {open ? (
        <div className="dialog-body">
          <h2 id={titleId}>{title}</h2>
          {children({ titleId })}
        </div>
      ) : null}
    </dialog>
  );
}
