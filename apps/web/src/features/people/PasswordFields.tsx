import { useId } from "react";
import { useTranslation } from "react-i18next";

/** A new password typed twice, with the rules stated (OWASP ASVS 5.0: length, not composition). */
export function NewPasswordFields({
  value,
  confirm,
  onChange,
  onConfirm,
  error,
}: {
  value: string;
  confirm: string;
  onChange: (v: string) => void;
  onConfirm: (v: string) => void;
  error: string | null;
}) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <>
      <div className="field">
        <label htmlFor={`${id}-new`}>{t("people.newPassword")}</label>
        <input
          id={`${id}-new`}
          name="new-password"
          type="password"
          autoComplete="new-password"
          required
          value={value}
          onChange={(e) => onChange(e.target.value)}
          aria-describedby={`${id}-rules`}
          aria-invalid={error !== null ? true : undefined}
        />
        <p id={`${id}-rules`} className="muted">
          {t("people.passwordRules")}
        </p>
      </div>
      <div className="field">
        <label htmlFor={`${id}-confirm`}>{t("people.confirmPassword")}</label>
        <input
          id={`${id}-confirm`}
          name="confirm-password"
          type="password"
          autoComplete="new-password"
          required
          value={confirm}
          onChange={(e) => onConfirm(e.target.value)}
        />
      </div>
    </>
  );
}
