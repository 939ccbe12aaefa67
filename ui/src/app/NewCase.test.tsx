import { act, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args) }));
const { NewCase } = await import("./NewCase");

describe("new-case form", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    invoke.mockImplementation(async (cmd: string, args: { passphrase?: string }) => {
      if (cmd === "check_passphrase") {
        const ok = (args.passphrase ?? "").length >= 12;
        return { acceptable: ok, score: ok ? 4 : 1, weakness: ok ? null : "too_guessable", message: ok ? "够强" : "太弱" };
      }
      if (cmd === "create_case") return { case_id: "x" };
      return null;
    });
  });
  afterEach(() => vi.useRealTimers());

  const type = (testid: string, value: string) => fireEvent.change(screen.getByTestId(testid), { target: { value } });
  const settle = async () => {
    await act(async () => {
      vi.advanceTimersByTime(300);
      await Promise.resolve();
    });
  };

  it("enables Create only with a name, an acceptable passphrase and a matching confirmation", async () => {
    const onCreated = vi.fn();
    render(<NewCase defaultFolder="/home/u/交接案件" onCreated={onCreated} onCancel={() => {}} />);
    const submit = screen.getByTestId("new-case-submit") as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    type("new-case-name", "张记驿站");
    expect(screen.getByTestId("new-case-path-preview").textContent).toBe("/home/u/交接案件/张记驿站.handover");
    type("new-case-passphrase", "short");
    await settle();
    expect(screen.getByTestId("passphrase-strength").getAttribute("data-acceptable")).toBe("false");
    expect(submit.disabled).toBe(true);
    type("new-case-passphrase", "Correct-Horse-Battery-9");
    await settle();
    expect(screen.getByTestId("passphrase-strength").getAttribute("data-acceptable")).toBe("true");
    type("new-case-passphrase-confirm", "Correct-Horse-Battery-8");
    expect(submit.disabled).toBe(true);
    type("new-case-passphrase-confirm", "Correct-Horse-Battery-9");
    expect(submit.disabled).toBe(false);
    fireEvent.click(screen.getByTestId("new-case-kind-courier-station"));
    await act(async () => {
      fireEvent.click(submit);
      await Promise.resolve();
    });
    const call = invoke.mock.calls.find((c) => c[0] === "create_case");
    expect(call?.[1]).toMatchObject({
      request: { path: "/home/u/交接案件/张记驿站.handover", passphrase: "Correct-Horse-Battery-9", details: { kind: "courier-station", seller: { name: "张记驿站" } } },
    });
  });
});
