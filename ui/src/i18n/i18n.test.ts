import { describe, expect, it } from "vitest";
import { dictionaries, en, tryT, zh } from "./i18n";

describe("i18n", () => {
  it("has the same keys in both languages", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
  });
  it("has no empty texts", () => {
    for (const [lang, dict] of Object.entries(dictionaries)) {
      for (const [key, text] of Object.entries(dict)) {
        expect(text.trim(), `${lang}:${key}`).not.toBe("");
      }
    }
  });
  it("names every audit action and detail field the backend writes", () => {
    for (const key of ["action.case.create", "action.case.details.update", "field.recipient.contact", "field.seller.responsible_person"]) {
      expect(tryT("zh-CN", key)).not.toBe(key);
      expect(tryT("en", key)).not.toBe(key);
    }
    expect(tryT("en", "action.unknown")).toBe("action.unknown");
  });
});
