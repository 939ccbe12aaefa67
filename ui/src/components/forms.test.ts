import { describe, expect, it } from "vitest";
import type { CaseDetails } from "../api/bindings";
import { caseFileName, casePath, fromForm, isValidDate, toForm } from "./forms";

const details: CaseDetails = {
  kind: "shop",
  reason: "sale-whole",
  seller: { name: "王记", contact: "13800001111", responsible_person: "王五" },
  recipient: { name: "赵六", contact: "13900002222" },
  handover_date: "2026-12-31",
  notes: "",
};

describe("file names", () => {
  it("replaces characters no file system accepts", () => {
    expect(caseFileName('a/b\\c:d*e?f"g<h>i|j')).toBe("a_b_c_d_e_f_g_h_i_j.handover");
    expect(caseFileName("  ")).toBe("未命名案件.handover");
    expect(caseFileName("..hidden")).toBe("hidden.handover");
  });
  it("joins folder and name once", () => {
    expect(casePath("/home/u/交接案件/", "张记驿站")).toBe("/home/u/交接案件/张记驿站.handover");
  });
});

describe("dates", () => {
  it("accepts only real calendar dates as YYYY-MM-DD", () => {
    expect(isValidDate("2026-12-31")).toBe(true);
    expect(isValidDate("2028-02-29")).toBe(true);
    expect(isValidDate("2026-02-30")).toBe(false);
    expect(isValidDate("2026-13-01")).toBe(false);
    expect(isValidDate("2026/12/31")).toBe(false);
    expect(isValidDate("")).toBe(false);
  });
});

describe("details form", () => {
  it("round-trips CaseDetails", () => {
    expect(fromForm(toForm(details))).toEqual(details);
  });
  it("an empty recipient becomes null", () => {
    const f = { ...toForm(details), recipientName: " ", recipientContact: "" };
    expect(fromForm(f).recipient).toBeNull();
  });
  it("only a dissolution can declare no recipient", () => {
    const f = { ...toForm(details), noRecipient: true };
    expect(fromForm(f).recipient).toEqual({ name: "赵六", contact: "13900002222" });
    expect(fromForm({ ...f, reason: "dissolution" }).recipient).toBeNull();
  });
  it("an empty date becomes null and text is trimmed", () => {
    const f = { ...toForm(details), handoverDate: " ", sellerName: " 王记 " };
    const d = fromForm(f);
    expect(d.handover_date).toBeNull();
    expect(d.seller.name).toBe("王记");
  });
});
