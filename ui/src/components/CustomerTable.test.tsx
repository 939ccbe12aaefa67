import { act, fireEvent, render, screen } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { CustomerFilter, CustomerPage, CustomerRow, PageRequest } from "../api/bindings";
import { KeysetLoader, type KeysetPage, scrollToShow, windowRange } from "./keysetList";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args) }));
const { CustomerTable, PAGE, ROW_PX, VISIBLE_ROWS, OVERSCAN, LOAD_AHEAD } = await import("./CustomerTable");

/** A promise whose settling the test decides. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const row = (id: number): CustomerRow => ({ id, name: `张*${id}`, mobile: `138****${String(id).padStart(4, "0")}`, has_id_number: id % 7 === 0, records: 1 });

describe("windowRange", () => {
  it("covers the rows in view and the overscan on both sides, within the list", () => {
    expect(windowRange(0, 440, 44, 1000, 5)).toEqual({ start: 0, end: 15 });
    // Scrolled to row 100 exactly: rows 100–109 in view.
    expect(windowRange(4400, 440, 44, 1000, 5)).toEqual({ start: 95, end: 115 });
    // Half a row further: row 110 shows its top half.
    expect(windowRange(4422, 440, 44, 1000, 5)).toEqual({ start: 95, end: 116 });
    expect(windowRange(44_000 - 440, 440, 44, 1000, 5)).toEqual({ start: 985, end: 1000 });
    expect(windowRange(0, 440, 44, 3, 5)).toEqual({ start: 0, end: 3 });
    expect(windowRange(0, 440, 44, 0, 5)).toEqual({ start: 0, end: 0 });
    // A scroll position left over from a longer list still shows the end of the short one.
    expect(windowRange(99_999, 440, 44, 1, 5)).toEqual({ start: 0, end: 1 });
  });

  it("scrolls just enough to show a row under the header", () => {
    // Viewport 484 = a 44px header + 10 rows.
    expect(scrollToShow(5, 0, 484, 44, 44)).toBe(0);
    expect(scrollToShow(10, 0, 484, 44, 44)).toBe(44); // row 10 becomes the last one in view
    expect(scrollToShow(3, 440, 484, 44, 44)).toBe(132); // above: becomes the first
    expect(scrollToShow(12, 440, 484, 44, 44)).toBe(440); // already in view
  });
});

describe("KeysetLoader", () => {
  it("fetches one page at a time, only when rows beyond the loaded ones are wanted, and stops at the end", async () => {
    const pages: ReturnType<typeof deferred<KeysetPage<number>>>[] = [];
    const fetchPage = vi.fn((_after: number) => {
      const d = deferred<KeysetPage<number>>();
      pages.push(d);
      return d.promise;
    });
    const loader = new KeysetLoader(fetchPage);
    const seen = vi.fn();
    loader.subscribe(seen);

    loader.want(10);
    loader.want(10);
    loader.want(500);
    expect(fetchPage).toHaveBeenCalledTimes(1);
    expect(fetchPage).toHaveBeenLastCalledWith(0);
    expect(loader.getSnapshot().loading).toBe(true);

    await act(async () => pages[0]?.resolve({ rows: [1, 2, 3], next_after_id: 3 }));
    expect(loader.getSnapshot()).toMatchObject({ loaded: 3, loading: false, done: false });
    loader.want(3); // all loaded already
    expect(fetchPage).toHaveBeenCalledTimes(1);
    loader.want(4);
    expect(fetchPage).toHaveBeenCalledTimes(2);
    expect(fetchPage).toHaveBeenLastCalledWith(3);
    await act(async () => pages[1]?.resolve({ rows: [4, 5], next_after_id: null }));
    const s = loader.getSnapshot();
    expect(s).toMatchObject({ loaded: 5, done: true, loading: false });
    expect(s.rows.slice(0, s.loaded)).toEqual([1, 2, 3, 4, 5]);
    loader.want(1000);
    expect(fetchPage).toHaveBeenCalledTimes(2);
    expect(seen).toHaveBeenCalled();
  });

  it("stops after a failure until asked to retry the same page", async () => {
    const fetchPage = vi.fn().mockRejectedValueOnce({ code: "internal", message: "boom" }).mockResolvedValueOnce({ rows: [7], next_after_id: null });
    const loader = new KeysetLoader<number>(fetchPage);
    await act(async () => loader.want(1));
    expect(loader.getSnapshot().error).toEqual({ code: "internal", message: "boom" });
    loader.want(1);
    expect(fetchPage).toHaveBeenCalledTimes(1);
    await act(async () => loader.retry(1));
    expect(fetchPage).toHaveBeenCalledTimes(2);
    expect(fetchPage).toHaveBeenLastCalledWith(0);
    expect(loader.getSnapshot()).toMatchObject({ loaded: 1, done: true, error: null });
  });
});

describe("CustomerTable", () => {
  const TOTAL = 1_000;
  let pageCalls: { filter: CustomerFilter; page: PageRequest; answer: ReturnType<typeof deferred<CustomerPage>> }[];

  /** Answers the oldest unanswered page call as the backend would, from `TOTAL` customers. */
  const answer = async (i: number) => {
    const call = pageCalls[i];
    if (!call) throw new Error(`no page call ${i}`);
    const from = call.page.after_id + 1;
    const to = Math.min(TOTAL, call.page.after_id + call.page.limit);
    const rows: CustomerRow[] = [];
    for (let id = from; id <= to; id++) rows.push(row(id));
    await act(async () => call.answer.resolve({ rows, next_after_id: to < TOTAL ? to : null }));
  };

  beforeEach(() => {
    pageCalls = [];
    invoke.mockReset();
    invoke.mockImplementation((cmd: string, args: { filter: CustomerFilter; page: PageRequest }) => {
      if (cmd === "customer_count") return Promise.resolve(args.filter.category ? 42 : TOTAL);
      if (cmd === "customer_page") {
        const d = deferred<CustomerPage>();
        pageCalls.push({ filter: args.filter, page: args.page, answer: d });
        return d.promise;
      }
      return Promise.reject(new Error(`unexpected ${cmd}`));
    });
  });

  const rowIds = () => screen.queryAllByTestId("t-row").map((r) => Number(r.getAttribute("data-index")));
  const scrollTo = async (px: number) => {
    const el = screen.getByTestId("t-scroll");
    el.scrollTop = px;
    await act(async () => {
      fireEvent.scroll(el);
    });
  };

  it("renders only the visible rows, fetches the next page once near the end, and starts again on a new filter", async () => {
    render(<CustomerTable testid="t" />);
    await act(async () => {});
    // One first page asked for, not the whole list.
    expect(pageCalls.map((c) => c.page)).toEqual([{ after_id: 0, limit: PAGE }]);
    expect(screen.getByTestId("t-loading").textContent).toContain("正在载入");
    await answer(0);
    expect(screen.getByTestId("t-count").textContent).toContain("1,000");
    expect(rowIds()).toEqual([...Array(VISIBLE_ROWS + OVERSCAN).keys()]);
    expect(screen.queryByTestId("t-loading")).toBeNull(); // far below the rendered rows
    expect(screen.getByTestId("t-position").textContent).toBe(`第 1–10 位（已载入 ${PAGE} 位）`);

    // Scrolled to row 10: rows 5–24 rendered, nothing fetched (the end of the loaded page is not near).
    await scrollTo(10 * ROW_PX);
    expect(rowIds()).toEqual([...Array(20).keys()].map((i) => 5 + i));
    expect(screen.getByTestId("t-position").textContent).toBe(`第 11–20 位（已载入 ${PAGE} 位）`);
    expect(pageCalls).toHaveLength(1);

    // Near the end of the loaded rows: the next page, once, however often the scroll event fires.
    const near = (PAGE - LOAD_AHEAD - VISIBLE_ROWS) * ROW_PX;
    await scrollTo(near);
    await scrollTo(near + ROW_PX);
    await scrollTo(near + 2 * ROW_PX);
    expect(pageCalls.map((c) => c.page)).toEqual([
      { after_id: 0, limit: PAGE },
      { after_id: PAGE, limit: PAGE },
    ]);
    // At the very end of the loaded rows the "loading…" row shows.
    await scrollTo((PAGE - VISIBLE_ROWS + 1) * ROW_PX);
    expect(screen.getByTestId("t-loading")).toBeTruthy();
    expect(pageCalls).toHaveLength(2);
    await answer(1);
    expect(screen.queryByTestId("t-loading")).toBeNull();
    expect(rowIds()).toContain(PAGE); // customer 101, from the second page
    expect(screen.getByTestId("t-position").textContent).toContain(`已载入 ${2 * PAGE} 位`);
    expect(screen.getAllByTestId("t-row").length).toBeLessThanOrEqual(VISIBLE_ROWS + 2 * OVERSCAN + 1);

    // A new filter: from the top, first page of the new query, and the old query's late answers ignored.
    await scrollTo((2 * PAGE - VISIBLE_ROWS) * ROW_PX);
    expect(pageCalls).toHaveLength(3);
    await act(async () => {
      fireEvent.change(screen.getByTestId("t-category"), { target: { value: "transaction" } });
    });
    expect(pageCalls[3]?.page).toEqual({ after_id: 0, limit: PAGE });
    expect(pageCalls[3]?.filter.category).toBe("transaction");
    expect(screen.getByTestId("t-scroll").scrollTop).toBe(0);
    await answer(2); // the old filter's third page arrives late
    expect(rowIds()).toEqual([]);
    await act(async () => pageCalls[3]?.answer.resolve({ rows: [row(5), row(9)], next_after_id: null }));
    expect(screen.getByTestId("t-count").textContent).toContain("42");
    expect(screen.getAllByTestId("t-mobile").map((m) => m.textContent)).toEqual(["138****0005", "138****0009"]);
    // Two rows left: the scroll area shrinks to them and its header.
    expect(screen.getByTestId("t-scroll").style.height).toBe(`${3 * ROW_PX}px`);
    expect(screen.queryByTestId("t-loading")).toBeNull();
    expect(pageCalls).toHaveLength(4);
  });

  it("moves the focus with the keyboard, scrolling the focused row into view", async () => {
    render(<CustomerTable testid="t" />);
    await act(async () => {});
    await answer(0);
    const rows = screen.getAllByTestId("t-row");
    // One tab stop in the table.
    expect(rows.filter((r) => r.tabIndex === 0).map((r) => r.getAttribute("data-index"))).toEqual(["0"]);
    act(() => rows[0]?.focus());
    const key = async (k: string) => {
      await act(async () => {
        fireEvent.keyDown(document.activeElement as Element, { key: k });
      });
    };
    await key("ArrowDown");
    expect(document.activeElement?.getAttribute("data-index")).toBe("1");
    await key("PageDown");
    expect(document.activeElement?.getAttribute("data-index")).toBe(String(1 + VISIBLE_ROWS));
    // Row 11 is below the first ten: the table scrolled just enough.
    expect(screen.getByTestId("t-scroll").scrollTop).toBe(2 * ROW_PX);
    await key("ArrowUp");
    expect(document.activeElement?.getAttribute("data-index")).toBe(String(VISIBLE_ROWS));
    await key("End");
    expect(document.activeElement?.getAttribute("data-index")).toBe(String(PAGE - 1));
    // The last loaded row is near the end: the next page is on its way.
    expect(pageCalls).toHaveLength(2);
    await key("Home");
    expect(document.activeElement?.getAttribute("data-index")).toBe("0");
    expect(screen.getByTestId("t-scroll").scrollTop).toBe(0);
  });

  it("says so when nothing matches", async () => {
    invoke.mockImplementation((cmd: string) => Promise.resolve(cmd === "customer_count" ? 0 : { rows: [], next_after_id: null }));
    render(<CustomerTable testid="t" />);
    await act(async () => {});
    expect(screen.getByTestId("t-none").textContent).toContain("没有符合条件的客户");
    expect(screen.queryByTestId("t-scroll")).toBeNull();
  });
});
