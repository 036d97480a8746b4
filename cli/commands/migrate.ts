import * as fs from "node:fs";
import * as path from "node:path";
import { type Command, EXIT } from "../command";
import { parseArgs, UsageError } from "../args";
import { GENERATED_NULL_DIR, LINES, lineOf, type Line } from "../../src/features/migrate/lines";
import { rewritePackageJson, rewriteSource, type PackageJson } from "../../src/features/migrate/rewrite";

/** Where the repository's code is: its own and the team's environment files. */
const SOURCE_ROOTS = ["main.ts", "cli", "src", "stacks", "constructs", "policies", "environments", "scripts", "bench", "__tests__", "bin"];
const SKIP = new Set(["node_modules", "dist", ".gen", "cdktf.out", ".terraform"]);

function sourceFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    const full = path.join(root, rel);
    if (!fs.existsSync(full)) return;
    if (fs.statSync(full).isFile()) {
      if (/\.(ts|js|cjs|mjs)$/.test(rel) && !rel.endsWith(".d.ts")) out.push(rel);
      return;
    }
    for (const entry of fs.readdirSync(full)) if (!SKIP.has(entry)) walk(path.posix.join(rel, entry));
  };
  for (const r of SOURCE_ROOTS) walk(r);
  return out.sort();
}

export const migrate: Command = {
  name: "migrate",
  summary: "Switch the repository between CDKTF (archived, the default) and CDK Terrain (cdktn), or back",
  help: `Usage: flystack migrate cdktn|cdktf [--dry-run] [--skip-install]

Moves this repository to CDK Terrain (cdktn, the maintained continuation of CDKTF) or back to
CDKTF 0.21 (the default line, archived by HashiCorp in December 2025). The move is a rename:
cdktf.json, cdktf.out/, CDKTF_* variables and logical IDs stay, so state is unaffected.

  package.json   ${Object.entries({ ...LINES.cdktn.dependencies, ...LINES.cdktn.devDependencies }).map(([n, v]) => `${n} ${v}`).join(", ")}
                 on cdktn (Node ${LINES.cdktn.node}); ${Object.entries({ ...LINES.cdktf.dependencies, ...LINES.cdktf.devDependencies }).map(([n, v]) => `${n} ${v}`).join(", ")}
                 on cdktf (Node ${LINES.cdktf.node}); scripts call ${LINES.cdktn.cli} or ${LINES.cdktf.cli}
  imports        "cdktf" ↔ "cdktn" (and their sub-paths), @cdktf/provider-generator and @cdktf/commons
                 ↔ @cdktn/…, in this repository's code and in environments/
  null provider  the prebuilt @cdktf/provider-null on cdktf; on cdktn (none is published) bindings
                 generated from providers/null.schema.json into ${GENERATED_NULL_DIR}
  bindings       npm install (scripts off), every binding regenerated with the line's generator
                 (npm run gen:providers), then the CLI compiled (npm run build)

Prints what it changes. On a repository already on the line, it changes nothing.

Options:
  --dry-run        Print what would change; write nothing.
  --skip-install   Rewrite files only: no npm install, no regenerated bindings (run them yourself).
  --help           Show this help.

Exit codes: 0 switched, or nothing to do; 1 npm install or the regeneration failed (the rewritten
files stay: run "flystack migrate" to the other line to go back).`,
  async run(args, ctx) {
    const { options, positionals } = parseArgs(args, { "dry-run": { kind: "boolean" }, "skip-install": { kind: "boolean" } });
    const target = positionals[0];
    if (target !== "cdktn" && target !== "cdktf") throw new UsageError(`name the line: "cdktn" (CDK Terrain) or "cdktf" (CDKTF 0.21), got ${target === undefined ? "nothing" : `"${target}"`}`);
    if (positionals.length > 1) throw new UsageError(`one line only, got ${positionals.join(" ")}`);
    const line: Line = target;
    const pkgFile = path.join(ctx.cwd, "package.json");
    if (!fs.existsSync(pkgFile)) throw new UsageError(`no package.json in ${ctx.cwd}: run it at the repository's root`);
    const pkg = JSON.parse(fs.readFileSync(pkgFile, "utf8")) as PackageJson;
    const from = lineOf(pkg);
    const nextPkg = rewritePackageJson(pkg, line);
    const pkgChanged = JSON.stringify(pkg) !== JSON.stringify(nextPkg);
    const files = sourceFiles(ctx.cwd)
      .map((file) => {
        const text = fs.readFileSync(path.join(ctx.cwd, file), "utf8");
        return { file, text, next: rewriteSource(text, file, line) };
      })
      .filter((f) => f.text !== f.next);
    const nullDir = path.join(ctx.cwd, GENERATED_NULL_DIR);
    const nullChange = line === "cdktf" && fs.existsSync(nullDir);
    if (!pkgChanged && files.length === 0 && !nullChange) {
      ctx.stdout.write(`already on ${line}: nothing to change\n`);
      return EXIT.ok;
    }

    const lines: string[] = [`${options["dry-run"] ? "would move" : "moving"} ${from ?? "this repository"} → ${line}:`];
    if (pkgChanged) {
      const all = (p: PackageJson) => ({ ...p.dependencies, ...p.devDependencies });
      const before = all(pkg);
      const after = all(nextPkg);
      const removed = Object.keys(before).filter((n) => !(n in after)).map((n) => `-${n} ${before[n]}`);
      const added = Object.keys(after).filter((n) => before[n] !== after[n]).map((n) => `+${n} ${after[n]}`);
      lines.push(`  package.json: ${[...removed, ...added].join(", ")}; engines.node ${nextPkg.engines?.node}`);
    }
    if (files.length > 0) lines.push(`  imports rewritten in ${files.length} file${files.length === 1 ? "" : "s"}:`, ...files.map((f) => `    ${f.file}`));
    if (line === "cdktn") lines.push(`  null provider: bindings generated into ${GENERATED_NULL_DIR} (no prebuilt @cdktn/provider-null)`);
    if (nullChange) lines.push(`  null provider: ${GENERATED_NULL_DIR} removed (the prebuilt @cdktf/provider-null again)`);
    if (!options["skip-install"]) lines.push("  then: npm install, and every provider binding regenerated with the line's generator");
    ctx.stdout.write(`${lines.join("\n")}\n`);
    if (options["dry-run"]) return EXIT.ok;

    fs.writeFileSync(pkgFile, `${JSON.stringify(nextPkg, null, 2)}\n`);
    for (const f of files) fs.writeFileSync(path.join(ctx.cwd, f.file), f.next);
    if (nullChange) fs.rmSync(nullDir, { recursive: true, force: true });
    if (options["skip-install"]) {
      ctx.stdout.write(`rewritten; now run: npm install && npm run gen:providers${line === "cdktn" ? " -- fly cloudflare null" : ""}\n`);
      return EXIT.ok;
    }
    const step = async (label: string, command: string, commandArgs: string[]): Promise<boolean> => {
      ctx.stderr.write(`migrate: ${label}…\n`);
      const run = await ctx.runner.run(command, commandArgs, { cwd: ctx.cwd, env: ctx.env });
      if (run.code !== 0) ctx.stderr.write(`flystack migrate: ${label} failed (exit ${run.code}):\n${`${run.stderr}${run.stdout}`.trim().split("\n").slice(-15).join("\n")}\n`);
      return run.code === 0;
    };
    // Scripts off: "prepare" compiles the CLI, which needs the bindings this line's generator makes next.
    if (!(await step("npm install", "npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts"]))) return EXIT.error;
    const providers = line === "cdktn" ? ["fly", "cloudflare", "null"] : ["fly", "cloudflare"];
    if (!(await step("regenerating the provider bindings", "npm", ["run", "--silent", "gen:providers", "--", ...providers]))) return EXIT.error;
    if (!(await step("compiling the CLI (npm run build)", "npm", ["run", "--silent", "build"]))) return EXIT.error;
    ctx.stdout.write(`on ${line} now: run npm test, and bin/flystack preview to see the same stacks\n`);
    return EXIT.ok;
  },
};
