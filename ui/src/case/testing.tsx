// For tests: an open case without a backend. Pass what the test looks at; the rest are stand-ins.
import type { ReactNode } from "react";
import type { CaseOverview } from "../api/bindings";
import { CaseContext, type CaseContextValue } from "./CaseContext";

const versions = { overview: 0, review: 0, audit: 0, classification: 0, minimisation: 0, plan: 0, customers: 0 };

export function TestCase(props: Partial<CaseContextValue> & { children: ReactNode }) {
  const { children, ...given } = props;
  const value: CaseContextValue = {
    overview: {} as CaseOverview,
    review: null,
    lang: "zh-CN",
    versions,
    invalidate: () => {},
    setOverview: () => {},
    setReview: () => {},
    error: null,
    ...given,
  };
  return <CaseContext.Provider value={value}>{children}</CaseContext.Provider>;
}
