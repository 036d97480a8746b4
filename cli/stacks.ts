import * as fs from "node:fs";
import * as path from "node:path";
import { isObject } from "../src/util/json-object";
import { environmentOfStack } from "../stacks/stack-names";

export interface ManifestStack {
  readonly name: string;
  /** Absolute path of the stack's working directory. */
  readonly dir: string;
  readonly dependencies: readonly string[];
}

export class StackSelectionError extends Error {}

/** Reads `cdktf.out/manifest.json`: the stacks a synth produced, with their folders and dependencies. */
export function readManifest(outdir: string): ManifestStack[] {
  const file = path.join(outdir, "manifest.json");
  if (!fs.existsSync(file)) {
    throw new StackSelectionError(`${file} does not exist: synthesize first (npm run synth), or drop --skip-synth`);
  }
  const parsed: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
  const stacks = isObject(parsed) ? parsed.stacks : undefined;
  if (!isObject(stacks)) throw new StackSelectionError(`${file} has no "stacks" object; is it a cdktf manifest?`);
  return Object.entries(stacks).map(([name, value]) => {
    const entry = isObject(value) ? value : {};
    const workingDirectory = typeof entry.workingDirectory === "string" ? entry.workingDirectory : path.join("stacks", name);
    const dependencies = Array.isArray(entry.dependencies) ? entry.dependencies.filter((d): d is string => typeof d === "string") : [];
    return { name, dir: path.resolve(outdir, workingDirectory), dependencies };
  });
}

/** `production-*` → a RegExp; only `*` and `?` are special. */
function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`);
}

/**
 * The stacks named by `patterns` (all when empty), in dependency order: a stack comes after every
 * stack it depends on. A pattern matching nothing is an error naming the stacks there are, and so
 * is an empty selection (no stacks at all).
 */
export function selectStacks(all: readonly ManifestStack[], patterns: readonly string[]): ManifestStack[] {
  let selected = all;
  if (patterns.length > 0) {
    const names = new Set<string>();
    for (const pattern of patterns) {
      const re = globToRegExp(pattern);
      // A pattern names a stack, or an environment: then every stack of it (per-app stacks).
      const matched = all.filter((s) => re.test(s.name) || re.test(environmentOfStack(s.name)));
      if (matched.length === 0) {
        throw new StackSelectionError(`no stack matches "${pattern}"; stacks: ${all.map((s) => s.name).join(", ") || "(none)"}`);
      }
      for (const s of matched) names.add(s.name);
    }
    selected = all.filter((s) => names.has(s.name));
  }
  // Nothing to do is never success: an empty manifest means no environment was synthesized.
  if (selected.length === 0) throw new StackSelectionError("no stacks to run: cdktf.out/manifest.json lists none; add an environment (environments/<name>.ts) and synthesize");
  return dependencyOrder(selected);
}

function dependencyOrder(stacks: readonly ManifestStack[]): ManifestStack[] {
  const byName = new Map(stacks.map((s) => [s.name, s]));
  const ordered: ManifestStack[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (stack: ManifestStack, trail: string[]) => {
    if (state.get(stack.name) === "done") return;
    if (state.get(stack.name) === "visiting") throw new StackSelectionError(`stack dependency cycle: ${[...trail, stack.name].join(" → ")}`);
    state.set(stack.name, "visiting");
    for (const dep of stack.dependencies) {
      const d = byName.get(dep);
      if (d) visit(d, [...trail, stack.name]);
    }
    state.set(stack.name, "done");
    ordered.push(stack);
  };
  for (const s of [...stacks].sort((a, b) => a.name.localeCompare(b.name))) visit(s, []);
  return ordered;
}
