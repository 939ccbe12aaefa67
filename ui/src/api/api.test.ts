import { beforeEach, describe, expect, it, vi } from "vitest";

const invoke = vi.fn();
class Channel<T> {
  onmessage: (p: T) => void = () => {};
}
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args), Channel }));

const { api, call, toErrorPayload } = await import("./api");

describe("toErrorPayload", () => {
  it("keeps a backend error", () => {
    expect(toErrorPayload({ code: "wrong_passphrase", message: "密码不正确" })).toEqual({ code: "wrong_passphrase", message: "密码不正确" });
  });
  it("wraps strings, Errors and anything else", () => {
    expect(toErrorPayload("boom")).toEqual({ code: "internal", message: "boom" });
    expect(toErrorPayload(new Error("bad"))).toEqual({ code: "internal", message: "bad" });
    expect(toErrorPayload(42)).toEqual({ code: "internal", message: "42" });
    expect(toErrorPayload({ code: 1, message: "x" }).code).toBe("internal");
  });
});

describe("api", () => {
  beforeEach(() => {
    invoke.mockReset();
  });

  it("calls each command with its argument names", async () => {
    invoke.mockResolvedValue(null);
    await api.openCase("/a.handover", "pw");
    expect(invoke).toHaveBeenLastCalledWith("open_case", { path: "/a.handover", passphrase: "pw", onProgress: expect.any(Channel) });
    await api.setLanguage("en");
    expect(invoke).toHaveBeenLastCalledWith("set_language", { language: "en" });
    await api.checkPassphrase("pw", ["王记"]);
    expect(invoke).toHaveBeenLastCalledWith("check_passphrase", { passphrase: "pw", context: ["王记"] });
    await api.forgetRecentCase("/x");
    expect(invoke).toHaveBeenLastCalledWith("forget_recent_case", { path: "/x" });
    await api.verifyAudit();
    expect(invoke).toHaveBeenLastCalledWith("verify_audit");
  });

  it("passes a command's arguments, and none for a command without any", async () => {
    invoke.mockResolvedValue([]);
    const problems = await call("import_problems", { sourceId: 3 });
    expect(problems).toEqual([]);
    expect(invoke).toHaveBeenLastCalledWith("import_problems", { sourceId: 3 });
    await call("close_case");
    expect(invoke).toHaveBeenLastCalledWith("close_case");
  });

  it("is typed by the generated command map", async () => {
    invoke.mockResolvedValue(null);
    // @ts-expect-error: no such command
    await call("no_such_command");
    // @ts-expect-error: an argument is missing
    await call("open_case", { path: "/a.handover" });
    // @ts-expect-error: a wrong argument type
    await call("import_problems", { sourceId: "3" });
    // @ts-expect-error: a command with arguments needs them
    await call("open_case");
  });

  it("rejects with {code, message}", async () => {
    invoke.mockImplementation(() => Promise.reject({ code: "not_a_case", message: "不是案件文件" }));
    let caught: unknown = "resolved";
    try {
      await api.openCase("/x", "y");
    } catch (e) {
      caught = e;
    }
    expect(caught).toStrictEqual({ code: "not_a_case", message: "不是案件文件" });
  });
});
