// The decisions step's data: the plan's summary, its pages of records, one record's explanation, and the
// changes the owner makes to them. Each of these reads the case's "plan" data, so a change that makes the
// plan stale (a recomputation, an override, a customer's answer) brings all of them up to date at once.
import { useState } from "react";
import { api } from "../../api/api";
import type { ErrorPayload, Outcome, Progress } from "../../api/bindings";
import { useCaseQuery, useMutation } from "../../case/CaseContext";

/** Records per page of the plan table. */
export const PAGE = 50;

/** The plan's summary; `data` is null while no plan has been computed. */
export const usePlanSummary = () => useCaseQuery("plan", api.planSummary);

/** One record's outcome, the rules behind it with their citations, and what the customer said. */
export const useExplanation = (recordId: number) => useCaseQuery("plan", () => api.explainRecord(recordId), [recordId]);

/** The changes made from an explanation: each one changes outcomes, so the plan and the customers are stale. */
export function usePlanChanges() {
  const stale = { invalidates: ["plan", "customers", "review"] } as const;
  return {
    setCustomerStatus: useMutation(api.setCustomerStatus, stale),
    setOverride: useMutation(api.setOverride, stale),
    withdrawOverride: useMutation(api.withdrawOverride, stale),
  };
}

/** Computing the plan, with its progress. Resolves to false when the owner cancelled it. */
export function useComputePlan() {
  const compute = useMutation(api.computePlan, { invalidates: ["plan", "customers", "review"] });
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<Progress | null>(null);
  const run = async (): Promise<boolean> => {
    setRunning(true);
    setProgress(null);
    try {
      await compute(setProgress);
      return true;
    } catch (e) {
      if ((e as ErrorPayload).code === "cancelled") return false;
      throw e;
    } finally {
      setRunning(false);
    }
  };
  return { run, running, progress, cancel: () => void api.cancelPlan() };
}

/**
 * The plan's records, a keyset page at a time, filtered by outcome and rule. A new filter or a newly computed
 * plan (`computedAt`) starts again at the first page; a change to the plan reloads the page in view.
 */
export function usePlanPages(outcome: Outcome | null, rule: string | null, computedAt: string | null) {
  // The `after` of each page visited: the last one is the page in view.
  const [cursor, setCursor] = useState<(number | null)[]>([null]);
  const start = `${outcome}|${rule}|${computedAt}`;
  const [startedAt, setStartedAt] = useState(start);
  if (startedAt !== start) {
    setStartedAt(start);
    setCursor([null]);
  }
  const after = cursor[cursor.length - 1] ?? null;
  const computed = computedAt !== null;
  const page = useCaseQuery(
    "plan",
    () => (computed ? api.planPage({ outcome, rule, customer_id: null, after_record_id: after, offset: 0, limit: PAGE }) : Promise.resolve(null)),
    [computed, outcome, rule, after],
  );
  return {
    page: page.data ?? null,
    error: page.error,
    /** Index of the first row in view. */
    pageStart: (cursor.length - 1) * PAGE,
    hasPrev: cursor.length > 1,
    prev: () => setCursor((c) => (c.length > 1 ? c.slice(0, -1) : c)),
    next: (nextAfter: number) => setCursor((c) => [...c, nextAfter]),
  };
}
