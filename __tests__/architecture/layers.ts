/**
 * flystack's layers, declared once (docs/architecture.md draws them): each layer may import its own
 * and every layer below it, never one above. Top to bottom:
 *   tooling (bin/, scripts/, bench/) → cli/ → environments/ → main.ts, stacks/ → constructs/ → policies/
 *   → src/features/ (one folder per feature) → src/process/ (running programs, signals)
 *   → src/config/ (the configuration model) → src/fly/ (Fly knowledge, its API client) → src/util/ → .gen/
 * Environment files are loaded at run time, never imported, so they sit wherever they are read from.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

export interface Layer {
  readonly name: string;
  /** Path prefixes (relative to the project, with `/`); a file belongs to the first layer that names it. */
  readonly paths: readonly string[];
}

export const LAYERS: readonly Layer[] = [
  { name: "tooling", paths: ["bin/", "scripts/", "bench/"] },
  { name: "cli", paths: ["cli/"] },
  { name: "environments", paths: ["environments/"] },
  { name: "synthesis", paths: ["main.ts", "stacks/"] },
  { name: "constructs", paths: ["constructs/"] },
  { name: "policies", paths: ["policies/"] },
  { name: "features", paths: ["src/features/"] },
  { name: "process", paths: ["src/process/"] },
  { name: "configuration model", paths: ["src/config/"] },
  { name: "Fly knowledge", paths: ["src/fly/"] },
  { name: "utilities", paths: ["src/util/"] },
  { name: "generated", paths: [".gen/"] },
];

export const PROJECT = path.join(__dirname, "..", "..");
/** The folders whose code the layers hold (tests sit above them all and are not judged). */
const SOURCE_ROOTS = ["bin", "scripts", "bench", "cli", "environments", "stacks", "constructs", "policies", "src", ".gen"];

/** `file` (project-relative, `/`) → the project files it imports, relative imports only. */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

export function layerOf(file: string): number {
  return LAYERS.findIndex((layer) => layer.paths.some((p) => file === p || file.startsWith(p)));
}

function sourceFiles(): string[] {
  const out: string[] = ["main.ts"];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(PROJECT, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else if (/\.(ts|js|cjs)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) out.push(rel);
    }
  };
  for (const root of SOURCE_ROOTS) if (fs.existsSync(path.join(PROJECT, root))) walk(root);
  return out;
}

function resolveImport(from: string, spec: string, files: ReadonlySet<string>): string | undefined {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  return [base, `${base}.ts`, `${base}.js`, `${base}/index.ts`].find((candidate) => files.has(candidate));
}

/** Every relative import of the project's code, as TypeScript's own pre-processor reads them (import, export … from, import type, require, import()). */
export function projectImportGraph(): ImportGraph {
  const files = sourceFiles();
  const set = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const info = ts.preProcessFile(fs.readFileSync(path.join(PROJECT, file), "utf8"), true, true);
    const targets = info.importedFiles.map((i) => i.fileName).filter((spec) => spec.startsWith(".")).flatMap((spec) => resolveImport(file, spec, set) ?? []);
    graph.set(file, [...new Set(targets)].sort());
  }
  return graph;
}

/** Imports from a lower layer into a higher one: `from → to (from's layer → to's layer)`. */
export function upwardImports(graph: ImportGraph): string[] {
  const out: string[] = [];
  for (const [from, targets] of graph) {
    const a = layerOf(from);
    for (const to of targets) {
      const b = layerOf(to);
      if (a >= 0 && b >= 0 && b < a) out.push(`${from} → ${to} (${LAYERS[a].name} imports ${LAYERS[b].name}, a layer above it)`);
    }
  }
  return out.sort();
}

/** Every import cycle (strongly connected components of more than one file, or a file importing itself), each sorted. */
export function importCycles(graph: ImportGraph): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}
