import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";
import { trpc } from "../../trpc.js";

/**
 * On a coordinator's landing page: how many plans the level above forwarded to their organisation and are waiting to
 * be taken in, with the way to the page that takes them in (issue 16: the receiving office's inbox item). Nothing
 * when none is waiting or the count cannot be read (the cascade page says why). Shares its query with the navigation's
 * count, so it costs no second request and changes live with it.
 */
export function ForwardedWaiting() {
  const { t } = useTranslation();
  const pending = useQuery(trpc.cascade.pending.queryOptions());
  const waiting = pending.data?.length ?? 0;
  if (waiting === 0) return null;
  return (
    <p className="notice" data-testid="forwarded-waiting">
      {t("cascade.waiting", { n: waiting })} <Link href="/cascade">{t("cascade.takeIn")}</Link>
    </p>
  );
}
