import { act, fireEvent, render, screen } from "@testing-library/react";
import { useState } from "react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { CaseDetails, CaseOverview, Review, ReviewStep, StepId } from "../api/bindings";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args) }));
const { CaseScreen } = await import("./CaseScreen");

const text = (s: string) => ({ zh: s, en: s });
const counts = { applicable: 0, done: 0, not_applicable: 0, later: 0, open: 0, blocking_open: 0, evidence_files: 0 };
const step = (id: StepId, number: number): ReviewStep => ({
  id,
  number,
  title: text(`标题-${id}`),
  why: text("为什么"),
  what_to_do: text("怎么做"),
  sources: [],
  applies: true,
  not_applicable_reason: null,
  items: [],
  counts,
});
const review = (): Review =>
  ({
    current_step: "case",
    steps: [step("case", 1), step("inventory", 2), step("summary", 3)],
    totals: counts,
    open_blocking: [],
    can_print_final: true,
    sources: [],
    laws: [],
  }) as unknown as Review;
const details: CaseDetails = {
  kind: "shop",
  reason: "sale-whole",
  seller: { name: "王记便利店", contact: "010-1234", responsible_person: "王" },
  recipient: { name: "李记", contact: "010-5678" },
  handover_date: "2026-12-31",
  notes: "",
};
const overview: CaseOverview = {
  path: "/tmp/王记便利店.handover",
  file_name: "王记便利店.handover",
  case_id: "c1",
  created_at: "2026-12-01T00:00:00Z",
  schema_version: 1,
  details,
  problems: [],
  sources: 1,
  customers: 2,
  records: 3,
  audit_entries: 1,
  audit_head_hash: "ab12",
  audit_break: null,
};

/** The app shell's part: it holds the overview. */
function Shell() {
  const [o, setO] = useState(overview);
  return <CaseScreen overview={o} onChange={setO} onClose={() => {}} />;
}

const calls = (cmd: string) => invoke.mock.calls.filter((c) => c[0] === cmd);
const act_ = async (f: () => void) => {
  await act(async () => {
    f();
  });
};

describe("case screen", () => {
  beforeEach(() => {
    invoke.mockReset();
    invoke.mockImplementation(async (cmd: string, args: { details?: CaseDetails; step?: StepId }) => {
      switch (cmd) {
        case "wizard_review":
          return review();
        case "update_case_details":
          return { ...overview, details: args.details };
        case "set_current_step":
          return args.step;
        case "audit_log":
          return [{ seq: 1, at: "2026-12-01T00:00:00Z", actor: "owner", action: "case.create", detail: "{}" }];
        default:
          return null;
      }
    });
  });

  it("resumes at the current step, saves details from the registry's screen, and moves between steps", async () => {
    await act_(() => render(<Shell />));
    expect(screen.getByTestId("wizard-step-case")).toBeTruthy();
    expect((screen.getByTestId("details-seller-name") as HTMLInputElement).value).toBe("王记便利店");
    expect(calls("wizard_review")).toHaveLength(1);

    // Unsaved details: leaving asks first.
    fireEvent.change(screen.getByTestId("details-seller-name"), { target: { value: "王记超市" } });
    const confirm = vi.spyOn(window, "confirm").mockReturnValue(false);
    vi.spyOn(window, "scrollTo").mockImplementation(() => {});
    await act_(() => fireEvent.click(screen.getByTestId("step-inventory")));
    expect(confirm).toHaveBeenCalled();
    expect(screen.getByTestId("wizard-step-case")).toBeTruthy();

    // Saving stores the returned overview (the sidebar shows the new name) and fetches the review again.
    await act_(() => fireEvent.click(screen.getByTestId("details-save")));
    expect(calls("update_case_details")).toHaveLength(1);
    expect(screen.getByTestId("details-saved")).toBeTruthy();
    expect(screen.getByText("王记超市", { selector: ".case-name" })).toBeTruthy();
    expect(calls("wizard_review")).toHaveLength(2);
    expect(calls("case_overview")).toHaveLength(0);

    // The inventory step's screen: the import and the registered places.
    await act_(() => fireEvent.click(screen.getByTestId("wizard-next")));
    expect(calls("set_current_step").at(-1)?.[1]).toEqual({ step: "inventory" });
    expect(screen.getByTestId("import-counts").textContent).toContain("3");
    expect(screen.getByTestId("sources-panel")).toBeTruthy();

    // The summary; its edit buttons go back to a step.
    await act_(() => fireEvent.click(screen.getByTestId("step-summary")));
    expect(screen.getByTestId("review-screen")).toBeTruthy();
    await act_(() => fireEvent.click(screen.getByTestId("review-edit-inventory")));
    expect(screen.getByTestId("wizard-step-inventory")).toBeTruthy();

    // The overview with the history.
    await act_(() => fireEvent.click(screen.getByTestId("step-overview")));
    expect(screen.getByTestId("overview-screen")).toBeTruthy();
    expect(calls("audit_log").length).toBeGreaterThan(0);
    expect(screen.getByTestId("audit-table").textContent).toContain("owner");
  });
});
