import { act, fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { OpeningProgress } from "../api/bindings";

class Channel<T> {
  onmessage: (p: T) => void = () => {};
}
const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args), Channel }));
const { OpenCase } = await import("./OpenCase");

describe("opening a case", () => {
  it("shows the page check's share done, then what it is counting, until the case is open", async () => {
    let report: (p: OpeningProgress) => void = () => {};
    let finish: (v: unknown) => void = () => {};
    invoke.mockImplementation((cmd: string, args: { onProgress: Channel<OpeningProgress> }) => {
      expect(cmd).toBe("open_case");
      report = (p) => args.onProgress.onmessage(p);
      return new Promise((resolve) => (finish = resolve));
    });
    const onOpened = vi.fn();
    render(<OpenCase initialPath="/cases/大驿站.handover" onOpened={onOpened} onCancel={() => {}} />);
    fireEvent.change(screen.getByTestId("open-case-passphrase"), { target: { value: "Correct-Horse-9" } });
    await act(async () => {
      fireEvent.click(screen.getByTestId("open-case-submit"));
      await Promise.resolve();
    });
    expect(screen.queryByTestId("open-case-progress")).toBeNull();

    await act(async () => report({ stage: "checking_pages", done: 100_000, total: 400_000 }));
    const panel = screen.getByTestId("open-case-progress");
    expect(panel.textContent).toContain("已完成 25%");
    expect(panel.querySelector("progress")?.getAttribute("value")).toBe("25");

    await act(async () => report({ stage: "counting", done: 0, total: 0 }));
    expect(panel.textContent).toContain("正在统计客户和记录");
    expect(panel.querySelector("progress")?.hasAttribute("value")).toBe(false);

    await act(async () => finish({ case_id: "x" }));
    expect(onOpened).toHaveBeenCalledWith({ case_id: "x" });
    expect(screen.queryByTestId("open-case-progress")).toBeNull();
  });
});
