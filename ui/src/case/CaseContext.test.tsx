import { act, fireEvent, render, screen } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { CaseOverview } from "../api/bindings";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args) }));
const { api } = await import("../api/api");
const { CaseProvider, useCase, useCaseQuery, useMutation } = await import("./CaseContext");

const calls = (cmd: string) => invoke.mock.calls.filter((c) => c[0] === cmd).length;
const overview = { case_id: "c", records: 3 } as unknown as CaseOverview;

function Probe() {
  const plan = useCaseQuery("plan", api.planSummary);
  const { review } = useCase();
  const withdraw = useMutation(api.withdrawOverride, { invalidates: ["plan"] });
  const details = useMutation(api.updateCaseDetails, { returns: "overview", invalidates: ["review"] });
  const note = useMutation(api.setItemNote, { returns: "review" });
  const reclassify = useMutation(api.reclassifyColumn, { invalidates: ["overview"] });
  return (
    <>
      <span data-testid="plan">{JSON.stringify(plan.data)}</span>
      <span data-testid="review">{JSON.stringify(review)}</span>
      <button data-testid="withdraw" onClick={() => void withdraw(1, "why")} />
      <button data-testid="details" onClick={() => void details({} as CaseOverview["details"])} />
      <button data-testid="note" onClick={() => void note("item", "n")} />
      <button data-testid="reclassify" onClick={() => void reclassify(1, 0, "name")} />
    </>
  );
}

describe("case context", () => {
  beforeEach(() => {
    invoke.mockReset();
    let n = 0;
    invoke.mockImplementation(async (cmd: string) => {
      n += 1;
      if (cmd === "plan_summary") return { n };
      if (cmd === "wizard_review") return { from: "wizard_review", n };
      if (cmd === "set_item_note") return { from: "set_item_note" };
      if (cmd === "update_case_details" || cmd === "case_overview") return { ...overview, from: cmd };
      return null;
    });
  });

  const click = async (id: string) => {
    await act(async () => {
      fireEvent.click(screen.getByTestId(id));
    });
  };

  it("fetches again only what a mutation says it made stale, and stores what a command returned", async () => {
    const onOverview = vi.fn();
    await act(async () => {
      render(
        <CaseProvider overview={overview} onOverview={onOverview}>
          <Probe />
        </CaseProvider>,
      );
    });
    expect(calls("plan_summary")).toBe(1);
    expect(calls("wizard_review")).toBe(1);

    // The plan is stale: fetched again; the review is not.
    await click("withdraw");
    expect(calls("plan_summary")).toBe(2);
    expect(calls("wizard_review")).toBe(1);

    // The details return the new overview (stored, not fetched) and make the review stale.
    await click("details");
    expect(onOverview).toHaveBeenLastCalledWith(expect.objectContaining({ from: "update_case_details" }));
    expect(calls("case_overview")).toBe(0);
    expect(calls("wizard_review")).toBe(2);
    expect(calls("plan_summary")).toBe(2);

    // A note returns the new review: stored as it came.
    await click("note");
    expect(screen.getByTestId("review").textContent).toContain("set_item_note");
    expect(calls("wizard_review")).toBe(2);

    // A stale overview is fetched and handed to the shell.
    await click("reclassify");
    expect(calls("case_overview")).toBe(1);
    expect(onOverview).toHaveBeenLastCalledWith(expect.objectContaining({ from: "case_overview" }));
  });
});
