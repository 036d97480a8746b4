/**
 * The two lines a repository can run on. CDKTF 0.21.0 is HashiCorp's final release (archived
 * December 2025) and the default; CDK Terrain (`cdktn`, the Open Construct Foundation's fork) keeps
 * the API, `cdktf.json`, `cdktf.out/`, `CDKTF_*` and logical IDs, so moving is a rename: package
 * names, import specifiers, the CLI name, and the null provider's bindings (no prebuilt
 * `@cdktn/provider-null` is published: they are generated from providers/null.schema.json).
 */
export type Line = "cdktf" | "cdktn";

export interface LinePackages {
  /** Runtime dependencies this line adds, with exact versions. */
  readonly dependencies: Readonly<Record<string, string>>;
  readonly devDependencies: Readonly<Record<string, string>>;
  /** package.json engines.node. */
  readonly node: string;
  /** The CLI's name in package.json scripts (`cdktf synth`). */
  readonly cli: string;
}

export const LINES: Readonly<Record<Line, LinePackages>> = {
  cdktf: {
    dependencies: { cdktf: "0.21.0", constructs: "10.4.2", "@cdktf/provider-null": "11.0.1" },
    devDependencies: { "cdktf-cli": "0.21.0", "@cdktf/provider-generator": "0.21.0", "@cdktf/commons": "0.21.0" },
    node: ">=20",
    cli: "cdktf",
  },
  cdktn: {
    // cdktn 0.24 asks for constructs >=10.6.0 <10.8.0 and Node 22 or later.
    dependencies: { cdktn: "0.24.0", constructs: "10.6.0" },
    devDependencies: { "cdktn-cli": "0.24.0", "@cdktn/provider-generator": "0.24.0", "@cdktn/commons": "0.24.0" },
    node: ">=22",
    cli: "cdktn",
  },
};

/** Import specifiers renamed from one line to the other (the null bindings are handled apart). */
export const RENAMES: Readonly<Record<Line, readonly (readonly [from: string, to: string])[]>> = {
  cdktn: [
    ["cdktf", "cdktn"],
    ["@cdktf/provider-generator", "@cdktn/provider-generator"],
    ["@cdktf/commons", "@cdktn/commons"],
  ],
  cdktf: [
    ["cdktn", "cdktf"],
    ["@cdktn/provider-generator", "@cdktf/provider-generator"],
    ["@cdktn/commons", "@cdktf/commons"],
  ],
};

/** The prebuilt null bindings (cdktf line) and the generated ones (cdktn line), by module. */
export const NULL_MODULES = ["provider", "resource"] as const;
export const PREBUILT_NULL = (module: string) => `@cdktf/provider-null/lib/${module}`;
export const GENERATED_NULL_DIR = ".gen/providers/null";

/** Which line a package.json is on. */
export function lineOf(pkg: { dependencies?: Record<string, string> }): Line | undefined {
  if (pkg.dependencies?.cdktn !== undefined) return "cdktn";
  if (pkg.dependencies?.cdktf !== undefined) return "cdktf";
  return undefined;
}
