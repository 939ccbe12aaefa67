import { act, fireEvent, render, screen } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { CaseOverview, DestructionPreview, DestructionReport } from "../../api/bindings";
import { canDestroy, certificateFileName, keptCounts, previewLines } from "./logic";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({
  invoke: (...args: unknown[]) => invoke(...args),
  Channel: class {
    onmessage: (p: unknown) => void = () => {};
  },
}));
const saved = vi.fn();
vi.mock("@tauri-apps/plugin-dialog", () => ({
  open: async () => null,
}));
const { CaseProvider } = await import("../../case/CaseContext");
const { DestructionStep } = await import("./DestructionStep");

function preview(over: Partial<DestructionPreview> = {}): DestructionPreview {
  return {
    plan_missing: false,
    plan_stale: false,
    records: 3,
    transferred_copies: 0,
    stripped_records: 2,
    deidentified_records: 1,
    by_source: [],
    kept: { held: [{ until: "2056-12-31", records: 1 }], blocked: 1, keep: 0, returned: 0, deidentify: 1, transfer_awaiting_receipt: 2 },
    receipt: null,
    paper: [],
    backups: [{ path: "/tmp/备份.handover", sha256: "cd".repeat(32), size_bytes: 4096, at: "2026-12-05T10:00:00Z", actor: "os:me" }],
    ...over,
  };
}

const report: DestructionReport = {
  certificate: {
    reference: "XH-20261205-1a2b3c4d",
    case_id: "c1",
    seller: "王记便利店",
    responsible_person: "王老板",
    operator: "os:me",
    performed_at: "2026-12-05T10:05:00Z",
    method: { code: "sqlcipher-secure-delete-vacuum", tool: "Handover", tool_version: "0.1.0", cipher_version: "4.12.0" },
    destroyed: {
      records: 3,
      transferred_copies: 0,
      customers: 3,
      import_problems: 0,
      stripped_records: 2,
      stripped_fields: [],
      by_source: [],
      deidentified_records: 1,
      evidence_files: 1,
      deleted_ids_sha256: "ef".repeat(32),
    },
    verification: { pages_read: 40, free_pages: 0, canaries: 7, canaries_found: 0, wal_bytes: null, journal_bytes: null, integrity_ok: true, passed: true },
    paper: [],
    kept: { held: [], blocked: 1, keep: 0, returned: 0, deidentify: 1, transfer_awaiting_receipt: 2 },
    backups_before: [],
    advice: ["change-passphrase", "delete-old-copies"],
    signatures: ["operator", "responsible-person"],
  },
  certificate_sha256: "12".repeat(32),
  audit_seq: 42,
  audit_hash: "34".repeat(32),
};

function backend(p: DestructionPreview) {
  invoke.mockImplementation(async (cmd: string, args?: unknown) => {
    switch (cmd) {
      case "destruction_preview":
        return p;
      case "latest_certificate":
        return null;
      case "destroy_case":
        return report;
      case "pick_save_file":
        return saved(args);
      case "save_certificate":
        return { path: "/tmp/销毁证明.pdf", format: "pdf", sha256: "56".repeat(32), pages: 3 };
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
        <DestructionStep />
      </CaseProvider>,
    );
  });
};

describe("destruction logic", () => {
  it("lists only what will happen, and waits for the plan, the tick and the passphrase", () => {
    const p = preview();
    expect(previewLines(p).map((l) => [l.key, l.records])).toEqual([
      ["dest.willDelete", 3],
      ["dest.willStrip", 2],
      ["dest.willDeidentify", 1],
    ]);
    expect(keptCounts(p)).toEqual({ held: 1, blocked: 1 });
    expect(canDestroy(p, true, "pw", false)).toBe(true);
    expect(canDestroy(p, false, "pw", false)).toBe(false);
    expect(canDestroy(p, true, "", false)).toBe(false);
    expect(canDestroy(p, true, "pw", true)).toBe(false);
    expect(canDestroy(preview({ plan_stale: true }), true, "pw", false)).toBe(false);
    expect(canDestroy(preview({ records: 0, stripped_records: 0, deidentified_records: 0 }), true, "pw", false)).toBe(false);
    expect(canDestroy(undefined, true, "pw", false)).toBe(false);
    expect(certificateFileName(report)).toBe("销毁证明-XH-20261205-1a2b3c4d.pdf");
  });
});

describe("destruction step", () => {
  beforeEach(() => {
    invoke.mockReset();
    saved.mockReset();
    saved.mockResolvedValue({ target: 3, path: "/tmp/销毁证明.pdf" });
  });

  it("destroys only after the tick and the passphrase, then shows the certificate and saves it as PDF", async () => {
    backend(preview());
    await show();
    expect(screen.getByTestId("destruction-backups").textContent).toContain("/tmp/备份.handover");
    const start = screen.getByTestId("destroy-start") as HTMLButtonElement;
    expect(start.disabled).toBe(true);
    fireEvent.click(screen.getByTestId("destroy-understood"));
    expect(start.disabled).toBe(true);
    fireEvent.change(screen.getByTestId("destroy-passphrase"), { target: { value: "Case-Pass-1" } });
    expect(start.disabled).toBe(false);
    await act(async () => {
      fireEvent.click(start);
    });
    expect(calls("destroy_case").at(-1)?.[1]).toEqual({ request: { confirmed: true, passphrase: "Case-Pass-1" } });
    expect(screen.getByTestId("certificate").textContent).toContain("XH-20261205-1a2b3c4d");
    expect(screen.getByTestId("certificate-counts").textContent).toContain("3");
    expect(screen.getByTestId("certificate").textContent).toContain("34".repeat(32));
    // The passphrase is gone from the form once used.
    expect((screen.getByTestId("destroy-passphrase") as HTMLInputElement).value).toBe("");
    await act(async () => {
      fireEvent.click(screen.getByTestId("save-certificate"));
    });
    expect(saved).toHaveBeenCalledTimes(1);
    expect(saved.mock.calls[0]?.[0]).toMatchObject({ kind: "document", suggestedName: "销毁证明-XH-20261205-1a2b3c4d.pdf" });
    expect(calls("save_certificate").at(-1)?.[1]).toEqual({ target: 3 });
    expect(screen.getByTestId("certificate-saved").textContent).toContain("/tmp/销毁证明.pdf");
  });

  it("offers no destruction while the plan is out of date", async () => {
    backend(preview({ plan_stale: true }));
    await show();
    expect(screen.getByTestId("destruction-not-ready")).toBeTruthy();
    expect(screen.queryByTestId("destroy-start")).toBeNull();
  });
});
