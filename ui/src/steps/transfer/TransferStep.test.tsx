import { act, fireEvent, render, screen } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { CaseOverview, ExportedPackage, PlanSummary } from "../../api/bindings";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({
  invoke: (...args: unknown[]) => invoke(...args),
  Channel: class {
    onmessage: (p: unknown) => void = () => {};
  },
}));
// The save dialog is the backend's (`pick_save_file`): it keeps the chosen place and answers with its number.
const saved = vi.fn();
const { CaseProvider } = await import("../../case/CaseContext");
const { TransferStep } = await import("./TransferStep");

const PASSPHRASE = "4821-0937-5512-0048-7730-2196-6604-3185";

function backend(stale: boolean) {
  const summary = { stale, outcomes: [{ outcome: "transfer", count: 3 }] } as unknown as PlanSummary;
  const exported: ExportedPackage = {
    path: "/tmp/王记-李四.hopkg",
    sha256: "ab".repeat(32),
    size: 6838,
    customers: 3,
    records: 3,
    prepaid_total: "100.10",
    passphrase: PASSPHRASE,
  };
  invoke.mockImplementation(async (cmd: string) => {
    switch (cmd) {
      case "plan_summary":
        return summary;
      case "pick_save_file":
        return saved(cmd);
      case "export_package":
        return exported;
      default:
        return null;
    }
  });
}

const overview = { details: { seller: { name: "王记" }, recipient: { name: "李四" } } } as unknown as CaseOverview;
const calls = (cmd: string) => invoke.mock.calls.filter((c) => c[0] === cmd);
const show = async () => {
  await act(async () => {
    render(
      <CaseProvider overview={overview} onOverview={() => {}}>
        <TransferStep />
      </CaseProvider>,
    );
  });
};

describe("hand-over step", () => {
  beforeEach(() => {
    invoke.mockReset();
    saved.mockReset();
    saved.mockResolvedValue({ target: 7, path: "/tmp/王记-李四.hopkg" });
  });

  it("exports through a save dialog and shows the passphrase once, in groups, until it is written down", async () => {
    backend(false);
    await show();
    await act(async () => {
      fireEvent.click(screen.getByTestId("export-package"));
    });
    expect(saved).toHaveBeenCalledTimes(1);
    expect(calls("pick_save_file").at(-1)?.[1]).toMatchObject({ kind: "package", suggestedName: "王记-李四.hopkg" });
    expect(calls("export_package").at(-1)?.[1]).toEqual({ target: 7 });
    const groups = screen.getByTestId("package-passphrase").querySelectorAll(".passphrase-group");
    expect([...groups].map((g) => g.textContent)).toEqual(PASSPHRASE.split("-"));
    expect(screen.getByTestId("package-sha256").textContent).toBe("ab".repeat(32));
    // "Done" waits for the confirmation; then the passphrase is gone from the screen.
    const done = screen.getByTestId("passphrase-done") as HTMLButtonElement;
    expect(done.disabled).toBe(true);
    fireEvent.click(screen.getByTestId("passphrase-written"));
    expect(done.disabled).toBe(false);
    fireEvent.click(done);
    expect(screen.queryByTestId("package-passphrase")).toBeNull();
    expect(screen.getByTestId("passphrase-hidden")).toBeTruthy();
    expect(document.body.textContent).not.toContain("4821");
  });

  it("offers no export while the plan is out of date", async () => {
    backend(true);
    await show();
    expect(screen.getByTestId("transfer-not-ready")).toBeTruthy();
    expect(screen.queryByTestId("export-package")).toBeNull();
  });
});
