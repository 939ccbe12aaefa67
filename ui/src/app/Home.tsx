import { useEffect, useState } from "react";
import { api } from "../api/api";
import type { ErrorPayload, RecentCase } from "../api/bindings";
import { ErrorBox } from "../components/widgets";
import { localTime, useI18n } from "../i18n/i18n";

export function Home(props: { onNew: () => void; onOpen: (path: string | null) => void; onReceive: () => void }) {
  const { t, lang } = useI18n();
  const [recent, setRecent] = useState<RecentCase[]>([]);
  const [error, setError] = useState<ErrorPayload | null>(null);

  const load = () => api.recentCases().then(setRecent, setError);
  useEffect(() => {
    void load();
  }, []);

  const forget = async (path: string) => {
    try {
      await api.forgetRecentCase(path);
      await load();
    } catch (e) {
      setError(e as ErrorPayload);
    }
  };

  return (
    <main className="home" data-testid="home-screen">
      <h1 data-testid="app-title">{t("appTitle")}</h1>
      <p className="tagline">{t("appTagline")}</p>
      <div className="home-actions">
        <button className="big primary" data-testid="new-case-button" onClick={props.onNew} autoFocus>
          <span className="big-title">{t("newCase")}</span>
          <span className="big-hint">{t("newCaseHint")}</span>
        </button>
        <button className="big" data-testid="open-case-button" onClick={() => props.onOpen(null)}>
          <span className="big-title">{t("openCase")}</span>
          <span className="big-hint">{t("openCaseHint")}</span>
        </button>
        <button className="big" data-testid="receive-package-button" onClick={props.onReceive}>
          <span className="big-title">{t("recv.button")}</span>
          <span className="big-hint">{t("recv.hint")}</span>
        </button>
      </div>
      <ErrorBox error={error} />
      <section className="recent">
        <h2>{t("recentCases")}</h2>
        {recent.length === 0 ? (
          <p className="muted">{t("noRecentCases")}</p>
        ) : (
          <ul data-testid="recent-list">
            {recent.map((r) => (
              <li key={r.path} className={r.exists ? "" : "missing"}>
                <button
                  className="recent-open"
                  data-testid="recent-item"
                  data-path={r.path}
                  disabled={!r.exists}
                  onClick={() => props.onOpen(r.path)}
                >
                  <span className="recent-name">{r.name}</span>
                  <span className="recent-path">{r.path}</span>
                  <span className="recent-time">
                    {r.exists ? `${t("lastOpened")} ${localTime(r.last_opened, lang)}` : t("fileMissing")}
                  </span>
                </button>
                {!r.exists && (
                  <button className="link" onClick={() => void forget(r.path)}>
                    {t("removeFromList")}
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </main>
  );
}
