import { act, fireEvent, render, screen } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { CaseOverview, PlanQuery, PlanRow, PlanSummary, RecordExplanation } from "../../api/bindings";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({
  invoke: (...args: unknown[]) => invoke(...args),
  Channel: class {
    onmessage: (p: unknown) => void = () => {};
  },
}));
// jsdom does not scroll.
Element.prototype.scrollIntoView = () => {};
const { CaseProvider } = await import("../../case/CaseContext");
const { DecisionsStep } = await import("./DecisionsStep");

const text = (s: string) => ({ zh: s, en: s });
const row = (id: number): PlanRow => ({
  record_id: id,
  source_id: 1,
  source: "members.csv",
  row: id + 1,
  customer_id: id,
  name: `客户${id}`,
  mobile: null,
  outcome: "transfer",
  rule_outcome: "transfer",
  retain_until: null,
  blocked_by: null,
  stripped_fields: [],
  rules: [],
  overridden: false,
  balance: null,
  deletion_refused: false,
});

/** A backend with 120 records, all transferred until an override keeps one; counts every call. */
function backend() {
  let computed = false;
  let overrides = 0;
  const summary = (): PlanSummary =>
    ({
      computed_at: "2026-12-01T10:00:00Z",
      handover_date: "2026-12-31",
      stale: false,
      records: 120,
      outcomes: [
        { outcome: "transfer", label: text("移交"), count: 120 - overrides, reasons: [] },
        { outcome: "keep", label: text("保留"), count: overrides, reasons: [] },
      ],
      rules: [],
      prepaid: { total: "0.00", records: 0, customers: 0, refunded: "0.00", by_outcome: [] },
      exposure: { records_without_basis: 0, counts: [], level: "none", blocks_transfer: false, explanation: "", citations: [] },
      hold_notices: 0,
      deletion_refusals: 0,
      overrides,
    }) as unknown as PlanSummary;
  const explanation = (id: number): RecordExplanation =>
    ({ row: row(id), outcome_label: text("移交"), blocked_by_label: null, stripped_labels: [], rules: [], override_info: null, status: null, notices: [] }) as RecordExplanation;
  invoke.mockImplementation(async (cmd: string, args: { query?: PlanQuery; recordId?: number }) => {
    switch (cmd) {
      case "wizard_review":
        return null;
      case "plan_summary":
        return computed ? summary() : null;
      case "compute_plan":
        computed = true;
        return summary();
      case "plan_page": {
        const after = args.query?.after_record_id ?? 0;
        const rows = Array.from({ length: Math.min(50, 120 - after) }, (_, i) => row(after + i + 1));
        return { total: 120, rows, next_after: after + 50 < 120 ? after + 50 : null };
      }
      case "explain_record":
        return explanation(args.recordId ?? 0);
      case "set_override":
        overrides += 1;
        return {};
      case "customer_count":
        return 0;
      case "customer_page":
        return { rows: [], next_after: null };
      default:
        return null;
    }
  });
}

const calls = (cmd: string) => invoke.mock.calls.filter((c) => c[0] === cmd);
const click = async (testid: string) => {
  await act(async () => {
    fireEvent.click(screen.getByTestId(testid));
  });
};

describe("decisions step", () => {
  beforeEach(() => {
    invoke.mockReset();
    backend();
  });

  it("computes the plan, pages through it, and an override brings summary, page and explanation up to date", async () => {
    await act(async () => {
      render(
        <CaseProvider overview={{ records: 120 } as CaseOverview} onOverview={() => {}}>
          <DecisionsStep />
        </CaseProvider>,
      );
    });
    // No plan yet: no page is asked for.
    expect(calls("plan_page")).toHaveLength(0);
    await click("plan-compute");
    expect(screen.getByTestId("plan-outcome-transfer-count").textContent).toBe("120");
    expect(screen.getByTestId("plan-page-info").textContent).toContain("120");
    expect(screen.getAllByTestId("plan-row")).toHaveLength(50);

    await click("plan-next");
    expect(calls("plan_page").at(-1)?.[1]).toMatchObject({ query: { after_record_id: 50 } });
    expect(screen.getAllByTestId("plan-row")[0]?.getAttribute("data-record")).toBe("51");

    // Override record 51: the summary, the page in view and the explanation are fetched again.
    await click("plan-explain-51");
    expect(screen.getByTestId("plan-explanation")).toBeTruthy();
    const before = { summary: calls("plan_summary").length, page: calls("plan_page").length, explain: calls("explain_record").length };
    fireEvent.change(screen.getByTestId("override-outcome"), { target: { value: "keep" } });
    fireEvent.change(screen.getByTestId("override-reason"), { target: { value: "客户要求留在原店" } });
    await click("override-save");
    expect(calls("set_override")).toHaveLength(1);
    expect(screen.getByTestId("override-saved")).toBeTruthy();
    expect(calls("plan_summary").length).toBe(before.summary + 1);
    expect(calls("plan_page").length).toBe(before.page + 1);
    expect(calls("plan_page").at(-1)?.[1]).toMatchObject({ query: { after_record_id: 50 } });
    expect(calls("explain_record").length).toBe(before.explain + 1);
    expect(screen.getByTestId("plan-outcome-keep-count").textContent).toBe("1");

    // A filter starts again at the first page.
    await act(async () => {
      fireEvent.change(screen.getByTestId("plan-filter-outcome"), { target: { value: "transfer" } });
    });
    expect(calls("plan_page").at(-1)?.[1]).toMatchObject({ query: { outcome: "transfer", after_record_id: null } });
    expect((screen.getByTestId("plan-prev") as HTMLButtonElement).disabled).toBe(true);
  });
});
