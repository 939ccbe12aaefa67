// Small building blocks shared by the screens.
import type { ReactNode } from "react";
import type { ErrorPayload, Lang } from "../api/bindings";
import { useI18n } from "../i18n/i18n";

export function ErrorBox({ error }: { error: ErrorPayload | null }) {
  const { t } = useI18n();
  if (!error) return null;
  return (
    <div className="error" role="alert" data-testid="error-message" data-code={error.code}>
      <strong>{t("error")}：</strong>
      {error.message}
    </div>
  );
}

export function Field(props: { label: string; hint?: string; htmlFor: string; children: ReactNode; error?: string | null }) {
  return (
    <div className="field">
      <label htmlFor={props.htmlFor}>{props.label}</label>
      {props.children}
      {props.error ? <div className="field-error">{props.error}</div> : props.hint ? <div className="hint">{props.hint}</div> : null}
    </div>
  );
}

export function LangSwitch({ onChange }: { onChange: (l: Lang) => void }) {
  const { lang, t } = useI18n();
  return (
    <label className="lang-switch">
      <span>{t("language")}</span>
      <select data-testid="lang-switch" value={lang} onChange={(e) => onChange(e.target.value as Lang)}>
        <option value="zh-CN">中文</option>
        <option value="en">English</option>
      </select>
    </label>
  );
}
