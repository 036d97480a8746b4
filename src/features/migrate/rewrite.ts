/**
 * Rewriting a repository from one line to the other: package.json, and the import specifiers of
 * every source file (`from "…"`, `require("…")`, `import("…")`, `jest.mock("…")`). Pure functions:
 * the command decides what to read and write.
 */
import * as path from "node:path";
import { GENERATED_NULL_DIR, LINES, NULL_MODULES, PREBUILT_NULL, RENAMES, type Line } from "./lines";

const SPECIFIER = /((?:\bfrom\s+|\brequire\(\s*|\bimport\(\s*|\bjest\.mock\(\s*|\brequire\.resolve\(\s*)(["']))([^"'\n]+)\2/g;

/** `file` (project-relative) with its import specifiers moved to `target`; unchanged text when nothing applies. */
export function rewriteSource(text: string, file: string, target: Line): string {
  const renames = RENAMES[target];
  const fromDir = path.posix.dirname(file);
  // `lead` ends with the opening quote (group 1 holds group 2).
  return text.replace(SPECIFIER, (whole, lead: string, quote: string, spec: string) => {
    // The null bindings: the prebuilt package on cdktf, the generated folder on cdktn.
    for (const module of NULL_MODULES) {
      const generated = path.posix.join(GENERATED_NULL_DIR, module);
      if (target === "cdktn" && spec === PREBUILT_NULL(module)) {
        const rel = path.posix.relative(fromDir, generated);
        return `${lead}${rel.startsWith("../") ? rel : `./${rel}`}${quote}`;
      }
      if (target === "cdktf" && spec.startsWith(".") && path.posix.normalize(path.posix.join(fromDir, spec)) === generated) {
        return `${lead}${PREBUILT_NULL(module)}${quote}`;
      }
    }
    for (const [from, to] of renames) {
      if (spec === from || spec.startsWith(`${from}/`)) return `${lead}${to}${spec.slice(from.length)}${quote}`;
    }
    return whole;
  });
}

export interface PackageJson {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  engines?: Record<string, string>;
  scripts?: Record<string, string>;
  [key: string]: unknown;
}

/** package.json moved to `target`: the other line's packages out, this line's in with exact versions, the Node engine, the CLI in scripts. */
export function rewritePackageJson(pkg: PackageJson, target: Line): PackageJson {
  const other: Line = target === "cdktn" ? "cdktf" : "cdktn";
  const without = (deps: Record<string, string> | undefined, names: readonly string[]) => Object.fromEntries(Object.entries(deps ?? {}).filter(([n]) => !names.includes(n)));
  const sorted = (deps: Record<string, string>) => Object.fromEntries(Object.entries(deps).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const drop = [...Object.keys(LINES[other].dependencies), ...Object.keys(LINES[other].devDependencies)];
  const scripts = Object.fromEntries(
    Object.entries(pkg.scripts ?? {}).map(([name, command]) => [name, command.replace(new RegExp(`(^|&&\\s*|;\\s*)${LINES[other].cli}(?=\\s)`, "g"), `$1${LINES[target].cli}`)]),
  );
  return {
    ...pkg,
    engines: { ...pkg.engines, node: LINES[target].node },
    scripts,
    dependencies: sorted({ ...without(pkg.dependencies, drop), ...LINES[target].dependencies }),
    devDependencies: sorted({ ...without(pkg.devDependencies, drop), ...LINES[target].devDependencies }),
  };
}
