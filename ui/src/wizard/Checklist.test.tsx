import { act, fireEvent, render, screen } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Review, ReviewItem } from "../api/bindings";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args) }));
const { ChecklistItem } = await import("./Checklist");
const { TestCase } = await import("../case/testing");
const { WizardNavContext } = await import("../case/nav");
const { fill, tryT } = await import("../i18n/i18n");

const entry = (state: ReviewItem["progress"]["state"], applies = true): ReviewItem => ({
  item: {
    id: "inventory-wechat",
    text: { zh: "把微信里的客户信息登记为来源", en: "Register WeChat as a source" },
    help: null,
    sources: [],
    citations: [{ law: "PIPL", article: "22", mark: "checked" }],
    blocking: true,
    applies,
    not_applicable_reason: applies ? null : { zh: "只适用于快递驿站", en: "Courier stations only" },
    blocks_printing: applies,
    derived_from: null,
  },
  progress: { item_id: "inventory-wechat", state, reason: "", note: "", updated_at: null, actor: null, evidence: [] },
  blocking_open: applies && state !== "done",
  from_case_details: null,
  from_data: null,
});

/** The case step's item answered by the seller's name and contact. */
const fromDetails = (state: "open" | "done"): ReviewItem => ({
  item: {
    id: "case-seller",
    text: { zh: "填写转让方的名称和联系方式。", en: "Enter the seller's name and contact." },
    help: null,
    sources: [],
    citations: [],
    blocking: true,
    applies: true,
    not_applicable_reason: null,
    blocks_printing: true,
    derived_from: "case.seller",
  },
  progress: { item_id: "case-seller", state, reason: "", note: "", updated_at: null, actor: null, evidence: [] },
  blocking_open: state !== "done",
  from_case_details:
    state === "done"
      ? { zh: "已按案件信息自动勾选（转让方名称和联系方式）。", en: "Ticked from the case details (the seller's name and contact)." }
      : { zh: "来自案件信息：填好转让方名称和联系方式后自动勾选。", en: "From the case details: ticked once they have the seller's name and contact." },
  from_data: null,
});

/** The classification step's item answered by the minors the app found, or not yet known. */
const fromData = (answered: boolean): ReviewItem => ({
  item: {
    id: "classification-minors",
    text: { zh: "查看有没有14岁以下儿童的信息。", en: "Check for information about children under 14." },
    help: null,
    sources: [],
    citations: [],
    blocking: true,
    applies: true,
    not_applicable_reason: null,
    blocks_printing: true,
    derived_from: "overview.minors",
  },
  progress: { item_id: "classification-minors", state: answered ? "done" : "open", reason: "", note: "", updated_at: null, actor: null, evidence: [] },
  blocking_open: !answered,
  from_case_details: null,
  from_data: answered
    ? {
        from: "overview.minors",
        figure: { kind: "minors", minors: 3, counted_on: "2026-12-31" },
        not_yet: null,
        answered: true,
        go_to: null,
        note: { zh: "已发现 3 名未满14周岁的儿童（以2026年12月31日计算）。", en: "3 children under 14 found (counted on 2026-12-31)." },
      }
    : {
        from: "overview.minors",
        figure: null,
        not_yet: "nothing-imported",
        answered: false,
        go_to: "inventory",
        note: { zh: "还没有导入客户资料：请先在第2步导入文件，导入后这里自动算出。", en: "No customer records imported yet." },
      },
});

describe("checklist item", () => {
  beforeEach(() => {
    invoke.mockReset();
    invoke.mockResolvedValue({});
  });

  it("asks for a reason before marking an item as not applicable", async () => {
    const onReview = vi.fn();
    render(
      <TestCase setReview={onReview}>
        <ChecklistItem entry={entry("open")} laws={[]} />
      </TestCase>,
    );
    fireEvent.click(screen.getByTestId("item-inventory-wechat-na"));
    expect(invoke).not.toHaveBeenCalled();
    const save = screen.getByTestId("item-inventory-wechat-reason-save") as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    fireEvent.change(screen.getByTestId("item-inventory-wechat-reason"), { target: { value: "本店没有微信群" } });
    await act(async () => {
      fireEvent.click(save);
    });
    expect(invoke).toHaveBeenCalledWith("set_item_state", { itemId: "inventory-wechat", itemState: "not_applicable", reason: "本店没有微信群" });
    expect(onReview).toHaveBeenCalled();
  });

  it("takes an answer back when it is clicked again, and saves the note when the field is left", async () => {
    render(
      <TestCase>
        <ChecklistItem entry={entry("done")} laws={[]} />
      </TestCase>,
    );
    expect(screen.getByTestId("item-inventory-wechat-done").getAttribute("aria-pressed")).toBe("true");
    await act(async () => {
      fireEvent.click(screen.getByTestId("item-inventory-wechat-done"));
    });
    expect(invoke).toHaveBeenLastCalledWith("set_item_state", { itemId: "inventory-wechat", itemState: "open", reason: "" });
    const note = screen.getByTestId("item-inventory-wechat-note");
    fireEvent.focus(note);
    fireEvent.change(note, { target: { value: "店长的微信里有两个群" } });
    await act(async () => {
      fireEvent.blur(note);
    });
    expect(invoke).toHaveBeenLastCalledWith("set_item_note", { itemId: "inventory-wechat", note: "店长的微信里有两个群" });
  });

  it("shows an item answered by the case details with its state and source, without buttons, and keeps its note", async () => {
    const { rerender } = render(
      <TestCase>
        <ChecklistItem entry={fromDetails("open")} laws={[]} />
      </TestCase>,
    );
    expect(screen.queryByTestId("item-case-seller-done")).toBeNull();
    expect(screen.queryByTestId("item-case-seller-na")).toBeNull();
    expect(screen.queryByTestId("item-case-seller-later")).toBeNull();
    expect(screen.getByTestId("item-case-seller").getAttribute("data-state")).toBe("open");
    expect(screen.getByTestId("item-case-seller-from-details").textContent).toBe("未处理来自案件信息：填好转让方名称和联系方式后自动勾选。");
    rerender(
      <TestCase>
        <ChecklistItem entry={fromDetails("done")} laws={[]} />
      </TestCase>,
    );
    expect(screen.getByTestId("item-case-seller-from-details").textContent).toContain("✓ 已完成");
    expect(screen.getByTestId("item-case-seller-from-details").textContent).toContain("已按案件信息自动勾选");
    const note = screen.getByTestId("item-case-seller-note");
    fireEvent.focus(note);
    fireEvent.change(note, { target: { value: "电话是店里的座机" } });
    await act(async () => {
      fireEvent.blur(note);
    });
    expect(invoke).toHaveBeenLastCalledWith("set_item_note", { itemId: "case-seller", note: "电话是店里的座机" });
  });

  it("shows an item answered by the app's figures with the figure, or why not yet and a way to the step to do", async () => {
    const go = vi.fn();
    const review = {
      steps: [{ id: "inventory", number: 2, title: { zh: "找出所有客户信息", en: "Find all customer information" } }],
    } as unknown as Review;
    const { rerender } = render(
      <WizardNavContext.Provider value={{ go, setDirty: () => {}, setBusy: () => {} }}>
        <TestCase review={review}>
          <ChecklistItem entry={fromData(false)} laws={[]} step="classification" />
        </TestCase>
      </WizardNavContext.Provider>,
    );
    expect(screen.queryByTestId("item-classification-minors-done")).toBeNull();
    expect(screen.getByTestId("item-classification-minors-from-data").getAttribute("data-answered")).toBe("false");
    expect(screen.getByTestId("item-classification-minors-from-data").textContent).toContain("还算不出");
    expect(screen.getByTestId("item-classification-minors-figure").textContent).toContain("请先在第2步导入文件");
    const goTo = screen.getByTestId("item-classification-minors-go-to");
    expect(goTo.textContent).toBe("去第2步：找出所有客户信息");
    fireEvent.click(goTo);
    expect(go).toHaveBeenCalledWith("inventory");
    rerender(
      <WizardNavContext.Provider value={{ go, setDirty: () => {}, setBusy: () => {} }}>
        <TestCase review={review}>
          <ChecklistItem entry={fromData(true)} laws={[]} />
        </TestCase>
      </WizardNavContext.Provider>,
    );
    // On the step it points to, there is no way to go.
    rerender(
      <WizardNavContext.Provider value={{ go, setDirty: () => {}, setBusy: () => {} }}>
        <TestCase review={review}>
          <ChecklistItem entry={fromData(false)} laws={[]} step="inventory" />
        </TestCase>
      </WizardNavContext.Provider>,
    );
    expect(screen.queryByTestId("item-classification-minors-go-to")).toBeNull();
    rerender(
      <WizardNavContext.Provider value={{ go, setDirty: () => {}, setBusy: () => {} }}>
        <TestCase review={review}>
          <ChecklistItem entry={fromData(true)} laws={[]} />
        </TestCase>
      </WizardNavContext.Provider>,
    );
    expect(screen.getByTestId("item-classification-minors-from-data").textContent).toContain("✓ 已算出");
    expect(screen.getByTestId("item-classification-minors-figure").textContent).toBe("已发现 3 名未满14周岁的儿童（以2026年12月31日计算）。");
    expect(screen.queryByTestId("item-classification-minors-go-to")).toBeNull();
    expect(screen.queryByTestId("item-classification-minors-done")).toBeNull();
  });

  it("shows why an item does not apply instead of its buttons", () => {
    render(
      <TestCase>
        <ChecklistItem entry={entry("open", false)} laws={[]} />
      </TestCase>,
    );
    expect(screen.queryByTestId("item-inventory-wechat-done")).toBeNull();
    expect(screen.getByTestId("item-inventory-wechat-inapplicable").textContent).toContain("只适用于快递驿站");
  });
});

describe("wizard texts", () => {
  it("fills placeholders and names the wizard's audit actions", () => {
    expect(fill("第 {n} 步", { n: 3 })).toBe("第 3 步");
    expect(fill("{a}/{b} {c}", { a: 1, b: 2 })).toBe("1/2 {c}");
    for (const a of ["wizard.item.state", "wizard.item.note", "wizard.evidence.add", "wizard.evidence.remove", "wizard.step", "wizard.source.add"]) {
      expect(tryT("zh-CN", `action.${a}`)).not.toBe(`action.${a}`);
      expect(tryT("en", `action.${a}`)).not.toBe(`action.${a}`);
    }
  });
});
