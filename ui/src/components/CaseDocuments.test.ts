import { describe, expect, it } from "vitest";
import { documentFileName } from "./CaseDocuments";

describe("case documents", () => {
  it("suggests the business and the document as the file name, without path characters", () => {
    expect(documentFileName("李记 烘焙/总店", "交接清单", "pdf")).toBe("李记-烘焙-总店-交接清单.pdf");
    expect(documentFileName("  ", "交接清单", "docx")).toBe("handover-交接清单.docx");
  });
});
