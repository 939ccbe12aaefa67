import type { Lang, Text } from "../api/bindings";

/** The wizard content carries both languages; the owner's choice picks one, so switching never reloads. */
export const pick = (text: Text, lang: Lang): string => (lang === "en" ? text.en : text.zh);
