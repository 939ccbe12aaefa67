import { useCallback, useEffect, useMemo, useState } from "react";
import { api } from "../api/api";
import type { AppInfo, CaseOverview, ErrorPayload, Lang } from "../api/bindings";
import { CaseScreen } from "./CaseScreen";
import { ErrorBox, LangSwitch } from "../components/widgets";
import { Home } from "./Home";
import { I18nContext, translator } from "../i18n/i18n";
import { NewCase } from "./NewCase";
import { OpenCase } from "./OpenCase";
import { ReceiveCase } from "./ReceiveCase";

type Screen = { kind: "home" } | { kind: "new" } | { kind: "receive" } | { kind: "open"; path: string | null } | { kind: "case"; overview: CaseOverview };

export function App() {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [lang, setLangState] = useState<Lang>("zh-CN");
  const [screen, setScreen] = useState<Screen>({ kind: "home" });
  const [error, setError] = useState<ErrorPayload | null>(null);

  useEffect(() => {
    api.appInfo().then((i) => {
      setInfo(i);
      setLangState(i.language);
    }, setError);
  }, []);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = lang === "en" ? "Handover" : "客户信息交接助手 Handover";
  }, [lang]);

  // Switching language keeps everything typed; texts that come from the backend are fetched again.
  const setLang = async (l: Lang) => {
    setLangState(l);
    try {
      await api.setLanguage(l);
      if (screen.kind === "case") {
        const overview = await api.caseOverview();
        setScreen({ kind: "case", overview });
      }
    } catch (e) {
      setError(e as ErrorPayload);
    }
  };

  const i18n = useMemo(() => ({ lang, t: translator(lang), setLang: (l: Lang) => void setLang(l) }), [lang, screen]);

  // Stable, so the open case's context does not change with every render of the shell.
  const onCaseChange = useCallback((overview: CaseOverview) => setScreen({ kind: "case", overview }), []);

  const closeCase = async () => {
    try {
      await api.closeCase();
    } catch (e) {
      setError(e as ErrorPayload);
    }
    setScreen({ kind: "home" });
  };

  return (
    <I18nContext.Provider value={i18n}>
      <header className="topbar">
        <span className="brand">
          <img src="./icon.png" alt="" width={24} height={24} />
          {i18n.t("appTitle")}
        </span>
        <LangSwitch onChange={(l) => void setLang(l)} />
      </header>
      <ErrorBox error={error} />
      {screen.kind === "home" && (
        <Home
          onNew={() => setScreen({ kind: "new" })}
          onOpen={(path) => setScreen({ kind: "open", path })}
          onReceive={() => setScreen({ kind: "receive" })}
        />
      )}
      {screen.kind === "receive" && info && (
        <ReceiveCase
          defaultFolder={info.default_case_dir}
          onOpened={(r) => setScreen({ kind: "case", overview: r.overview })}
          onCancel={() => setScreen({ kind: "home" })}
        />
      )}
      {screen.kind === "new" && info && (
        <NewCase defaultFolder={info.default_case_dir} onCreated={(overview) => setScreen({ kind: "case", overview })} onCancel={() => setScreen({ kind: "home" })} />
      )}
      {screen.kind === "open" && (
        <OpenCase initialPath={screen.path} onOpened={(overview) => setScreen({ kind: "case", overview })} onCancel={() => setScreen({ kind: "home" })} />
      )}
      {screen.kind === "case" && (
        <CaseScreen key={screen.overview.case_id} overview={screen.overview} onChange={onCaseChange} onClose={() => void closeCase()} />
      )}
    </I18nContext.Provider>
  );
}
