import { describe, expect, it } from "vitest";
import { importCycles, layerViolations } from "./importCycles";

// Every source file of the UI, as text.
const sources = import.meta.glob(["./**/*.ts", "./**/*.tsx"], { query: "?raw", import: "default", eager: true }) as Record<string, string>;

describe("import circles", () => {
  it("no UI file imports one that imports it back", () => {
    expect(Object.keys(sources)).toContain("./app/App.tsx");
    const cycles = importCycles(sources).map((c) => c.join(" → "));
    expect(cycles, `import circles:\n${cycles.join("\n")}`).toEqual([]);
  });

  it("folders import one way: app → wizard → steps → case, components → i18n → api", () => {
    const wrong = layerViolations(sources);
    expect(wrong, `imports against the layering:\n${wrong.join("\n")}`).toEqual([]);
  });

  it("names imports against the layering", () => {
    const files = {
      "./steps/a/A.tsx": 'import { b } from "../b/B";\nimport { go } from "../../wizard/W";\nimport { c } from "../../case/C";',
      "./steps/b/B.tsx": 'import { t } from "../../i18n/i18n";',
      "./wizard/W.tsx": 'import { A } from "../steps/a/A";',
      "./case/C.ts": 'import { x } from "../components/X";',
      "./components/X.ts": "",
      "./i18n/i18n.tsx": 'import { aZh } from "../steps/a/texts";\nimport { B } from "../steps/b/B";',
      "./steps/a/texts.ts": "",
    };
    expect(layerViolations(files)).toEqual([
      "./case/C.ts → ./components/X.ts",
      "./i18n/i18n.tsx → ./steps/b/B.tsx",
      "./steps/a/A.tsx → ./steps/b/B.tsx",
      "./steps/a/A.tsx → ./wizard/W.tsx",
    ]);
  });

  it("finds and lists each circle", () => {
    const files = {
      "./a/A.tsx": 'import { b } from "../b/B";\nexport const a = 1;',
      "./b/B.ts": 'import type { C } from "./C";\nexport const b = 2;',
      "./b/C.ts": 'export type { A } from "../a/A";\nexport const c = await import("./C");',
      "./d.ts": 'import "./e";',
      "./e.ts": 'import { d } from "./d";',
      "./f.ts": 'import { a } from "./a/A";',
      "./g.ts": 'export * from "./g";',
    };
    const cycles = importCycles(files);
    expect(cycles).toHaveLength(3);
    expect(cycles).toEqual(
      expect.arrayContaining([
        ["./a/A.tsx", "./b/B.ts", "./b/C.ts", "./a/A.tsx"],
        ["./d.ts", "./e.ts", "./d.ts"],
        ["./g.ts", "./g.ts"],
      ]),
    );
  });
});
