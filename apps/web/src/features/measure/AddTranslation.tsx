import { isBlankText } from "@countersign/domain";
import type { Language } from "@countersign/domain";
import { useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useAnnounce } from "../../lib/announcer.js";
import { describeError, isExpiredSession } from "../../lib/errors.js";
import { idempotent, useIntentKeys } from "../../lib/idempotency.js";
import { trpc, trpcClient } from "../../trpc.js";

/**
 * The coordinator adds the plan's text in its other language (plan.addTranslation): the whole document is pasted,
 * the server parses it with the import's parser and matches its measures with the plan's by number.
 */
export function AddTranslation({ planId, language }: { planId: number; language: Language }) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const queryClient = useQueryClient();
  const intents = useIntentKeys();
  const [text, setText] = useState("");
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<{ kind: "error" | "success"; text: string } | null>(null);
  const id = useId();
  const languageName = t(`measure.languageName.${language}`);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (isBlankText(text)) {
      setMessage({ kind: "error", text: t("dialog.missing", { field: t("measure.translationAdd.text") }) });
      return;
    }
    setPending(true);
    setMessage(null);
    try {
      const input = { planId, text };
      const added = await trpcClient.plan.addTranslation.mutate(input, { context: idempotent(intents.keyFor(input)) });
      const addedText = t("measure.translationAdd.added", { language: t(`measure.languageName.${added.language}`), n: added.aligned.length });
      const missing = added.missing.length > 0 ? ` ${t("measure.translationAdd.missing", { numbers: added.missing.join(", ") })}` : "";
      setMessage({ kind: "success", text: addedText + missing });
      announce(addedText, "success");
      setText("");
      void queryClient.invalidateQueries({ queryKey: trpc.catalog.plan.pathKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.assignment.pathKey() });
    } catch (e) {
      if (isExpiredSession(e)) return;
      setMessage({ kind: "error", text: t("assignment.refused", { message: describeError(e) }) });
    } finally {
      setPending(false);
    }
  }

  return (
    <details className="add-translation no-print">
      <summary>{t("measure.translationAdd.title", { language: languageName })}</summary>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <p className="muted">{t("measure.translationAdd.intro")}</p>
        <div className="field">
          <label htmlFor={id}>{t("measure.translationAdd.text")}</label>
          <textarea id={id} value={text} rows={8} onChange={(e) => setText(e.target.value)} disabled={pending} />
        </div>
        {message ? (
          <p className={`notice ${message.kind === "error" ? "notice-error" : "notice-ok"}`} role={message.kind === "error" ? "alert" : "status"}>
            {message.text}
          </p>
        ) : null}
        <button type="submit" className="button" disabled={pending}>
          {t("measure.translationAdd.submit")}
        </button>
      </form>
    </details>
  );
}
