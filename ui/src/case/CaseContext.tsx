// The open case, for every screen inside it: its overview and wizard review, the owner's language, and the
// two hooks through which screens read and change it.
//
// - `useCaseQuery(key, fetch)` reads one kind of case data and reads it again whenever that data is made
//   stale (and when the language changes, for texts the backend words).
// - `useMutation(fn, { invalidates, returns })` changes the case and says what it made stale; screens never
//   guess from props when to reload. A mutation whose command returns the new overview or review says
//   `returns`, and the case stores it instead of asking again.
//
// Every change is written to the audit log, so every mutation also makes "audit" stale.
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { api } from "../api/api";
import type { CaseOverview, ErrorPayload, Lang, Review } from "../api/bindings";
import { useI18n } from "../i18n/i18n";

/** The kinds of case data a screen reads, each of which a mutation can make stale. */
export type CaseData =
  | "overview" // the case details and counts (CaseOverview)
  | "review" // the wizard's steps, checklist answers and registered places (Review)
  | "audit" // the audit log
  | "classification" // the classification summary and column reviews
  | "minimisation" // the chosen fields and the kind of each imported file
  | "plan" // the decisions plan: summary, pages, explanations, customer statuses and overrides
  | "customers"; // the customer table

const ALL: readonly CaseData[] = ["overview", "review", "audit", "classification", "minimisation", "plan", "customers"];
type Versions = Record<CaseData, number>;
const ZERO = Object.fromEntries(ALL.map((k) => [k, 0])) as Versions;

export interface CaseContextValue {
  overview: CaseOverview;
  /** null until the first review arrives. */
  review: Review | null;
  lang: Lang;
  /** A counter per kind of data, raised each time it is made stale; queries fetch again when theirs moves. */
  versions: Versions;
  /** Marks data stale. "overview" and "review" are fetched again here; the rest by the queries reading them. */
  invalidate: (keys: readonly CaseData[]) => void;
  /** Stores the overview or review a command returned. */
  setOverview: (o: CaseOverview) => void;
  setReview: (r: Review) => void;
  /** Why the overview or review could not be fetched. */
  error: ErrorPayload | null;
}

export const CaseContext = createContext<CaseContextValue | null>(null);

/** The open case; only inside `CaseProvider`. */
export function useCase(): CaseContextValue {
  const c = useContext(CaseContext);
  if (!c) throw new Error("useCase outside CaseProvider");
  return c;
}

/**
 * Holds the open case. The overview itself lives with the app shell (`onOverview`), which also fetches it
 * again after a language switch.
 */
export function CaseProvider(props: { overview: CaseOverview; onOverview: (o: CaseOverview) => void; children: ReactNode }) {
  const { lang } = useI18n();
  const { onOverview } = props;
  const [versions, setVersions] = useState<Versions>(ZERO);
  const [review, setReview] = useState<Review | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);

  const invalidate = useCallback(
    (keys: readonly CaseData[]) => {
      if (keys.length === 0) return;
      setVersions((v) => {
        const next = { ...v };
        for (const k of keys) next[k] += 1;
        return next;
      });
      if (keys.includes("overview")) api.caseOverview().then(onOverview, setError);
    },
    [onOverview],
  );

  // The review is bilingual, so a language switch does not fetch it again.
  useEffect(() => {
    let live = true;
    api.wizardReview().then(
      (r) => live && setReview(r),
      (e: ErrorPayload) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [versions.review]);

  const value = useMemo<CaseContextValue>(
    () => ({ overview: props.overview, review, lang, versions, invalidate, setOverview: onOverview, setReview, error }),
    [props.overview, review, lang, versions, invalidate, onOverview, error],
  );
  return <CaseContext.Provider value={value}>{props.children}</CaseContext.Provider>;
}

export interface CaseQuery<T> {
  /** undefined while the first answer is on its way. */
  data: T | undefined;
  error: ErrorPayload | null;
  /** Replaces the data with what a command returned. */
  setData: (d: T) => void;
}

/**
 * Reads one kind of case data: fetched on mount, again when `key` is made stale, when the language changes,
 * and when one of `deps` (the query's own arguments) changes. Answers to superseded fetches are dropped.
 */
export function useCaseQuery<T>(key: CaseData, fetch: () => Promise<T>, deps: readonly unknown[] = []): CaseQuery<T> {
  const { versions, lang } = useCase();
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const version = versions[key];
  useEffect(() => {
    let live = true;
    setError(null);
    fetch().then(
      (d) => live && setData(d),
      (e: ErrorPayload) => live && setError(e),
    );
    return () => {
      live = false;
    };
    // `fetch` is a new closure each render; what it reads is in `deps`.
  }, [version, lang, ...deps]);
  return { data, error, setData };
}

/** What a mutation changes: the data it makes stale, and whether its result is the new overview or review. */
export type MutationEffects<R> = {
  invalidates?: readonly CaseData[];
} & ([R] extends [CaseOverview] ? { returns?: "overview" } : [R] extends [Review] ? { returns?: "review" } : { returns?: never });

/**
 * A change to the case. The returned function runs `fn`; when it succeeds, the result is stored (`returns`)
 * and what it made stale is fetched again (`invalidates`, plus the audit log). Failures are thrown to the
 * caller, which shows them where the owner acted.
 */
export function useMutation<A extends unknown[], R>(fn: (...args: A) => Promise<R>, effects: MutationEffects<R>): (...args: A) => Promise<R> {
  const { invalidate, setOverview, setReview } = useCase();
  return async (...args: A) => {
    const r = await fn(...args);
    if (effects.returns === "overview") setOverview(r as CaseOverview);
    if (effects.returns === "review") setReview(r as Review);
    invalidate([...(effects.invalidates ?? []), "audit"]);
    return r;
  };
}
