// Finds import circles between the UI's files (a file that, through its imports, imports itself) and imports
// against the folders' layering (LAYERS). importCycles.test.ts runs both over every file in src/, so
// `npm test` fails listing each circle and each import in the wrong direction.

/** Relative specifiers a file imports from (static, re-exports, type-only, side-effect and dynamic). */
export function relativeImports(source: string): string[] {
  const found: string[] = [];
  const patterns = [/\bfrom\s*["'](\.{1,2}\/[^"']+)["']/g, /\bimport\s*\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g, /\bimport\s*["'](\.{1,2}\/[^"']+)["']/g];
  for (const p of patterns) for (const m of source.matchAll(p)) if (m[1]) found.push(m[1]);
  return found;
}

function join(dir: string, spec: string): string {
  const parts = dir.split("/");
  for (const seg of spec.split("/")) {
    if (seg === "..") parts.pop();
    else if (seg !== ".") parts.push(seg);
  }
  return parts.join("/");
}

/** The import graph of `files` (path → source, paths like "./app/App.tsx"), to files in the same set. */
export function importGraph(files: Record<string, string>): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const [path, source] of Object.entries(files)) {
    const dir = path.slice(0, path.lastIndexOf("/"));
    const targets = relativeImports(source)
      .map((spec) => {
        const base = join(dir, spec);
        return [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`].find((c) => c in files);
      })
      .filter((t): t is string => t !== undefined);
    graph.set(path, [...new Set(targets)]);
  }
  return graph;
}

/** Every circle: one per group of files that import each other, as a path that ends where it starts. */
export function importCycles(files: Record<string, string>): string[][] {
  const graph = importGraph(files);
  // Tarjan's strongly connected components.
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next);
    next += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1 || (graph.get(v) ?? []).includes(v)) groups.push(group);
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);

  // Within each group, the shortest way from its first file back to itself.
  return groups.map((group) => {
    const members = new Set(group);
    const start = [...group].sort()[0]!;
    const from = new Map<string, string>();
    const queue = [start];
    while (queue.length > 0) {
      const v = queue.shift()!;
      for (const w of graph.get(v) ?? []) {
        if (!members.has(w)) continue;
        if (w === start) {
          const path = [start];
          for (let u: string | undefined = v; u !== undefined && u !== start; u = from.get(u)) path.splice(1, 0, u);
          return [...path, start];
        }
        if (!from.has(w)) {
          from.set(w, v);
          queue.push(w);
        }
      }
    }
    return [start, start];
  });
}

/** The folder a file belongs to for the layering rule: "steps/<id>" counts as one folder per step. */
function folderOf(path: string): string {
  const parts = path.replace(/^\.\//, "").split("/");
  if (parts.length === 1) return ".";
  return parts[0] === "steps" ? `steps/${parts[1]}` : parts[0]!;
}

/**
 * What each folder may import besides itself (a step folder: also nothing of another step). Texts files
 * (`texts.ts`, which import nothing) may be imported by i18n, which merges them into the dictionaries.
 */
export const LAYERS: Record<string, readonly string[]> = {
  api: [],
  i18n: ["api"],
  components: ["api", "i18n"],
  case: ["api", "i18n"],
  steps: ["api", "i18n", "components", "case"],
  wizard: ["api", "i18n", "components", "case", "steps"],
  app: ["api", "i18n", "components", "case", "wizard"],
  ".": ["app"],
};

/** Imports against LAYERS, as "from → to". */
export function layerViolations(files: Record<string, string>): string[] {
  const out: string[] = [];
  for (const [from, targets] of importGraph(files)) {
    const a = folderOf(from);
    const allowed = LAYERS[a.startsWith("steps/") ? "steps" : a] ?? [];
    for (const to of targets) {
      const b = folderOf(to);
      if (a === b) continue;
      const top = b.startsWith("steps/") ? "steps" : b;
      if (allowed.includes(top) && !(a.startsWith("steps/") && top === "steps")) continue;
      if (a === "i18n" && to.endsWith("/texts.ts")) continue;
      out.push(`${from} → ${to}`);
    }
  }
  return out.sort();
}
