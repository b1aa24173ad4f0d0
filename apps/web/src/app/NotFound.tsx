import { useTranslation } from "react-i18next";
import { Link } from "wouter";
import { usePageTitle } from "./usePageTitle.js";

export function NotFound() {
  const { t } = useTranslation();
  usePageTitle(t("app.notFound"));
  return (
    <section className="page">
      <h1>{t("app.notFound")}</h1>
      <p>
        <Link href="/">{t("app.backHome")}</Link>
      </p>
    </section>
  );
}
