import { describe, expect, it } from "vitest";
import { formsFor, noticeFileName } from "./NoticesStep";

describe("notices", () => {
  it("suggests file names as the CLI writes them", () => {
    expect(noticeFileName("art22", "csv")).toBe("art22-sms.csv");
    expect(noticeFileName("art22", "letter")).toBe("art22-letters.pdf");
    expect(noticeFileName("creditor-sale", "poster")).toBe("creditor-sale-poster.pdf");
  });

  it("offers letters only when some customers have no mobile number", () => {
    expect(formsFor({ customers: 5, with_phone: 5 })).toEqual(["sms", "csv", "poster"]);
    expect(formsFor({ customers: 5, with_phone: 4 })).toEqual(["sms", "csv", "letter", "poster"]);
  });
});
