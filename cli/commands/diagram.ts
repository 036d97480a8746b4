import * as fs from "node:fs";
import * as path from "node:path";
import { type Command, EXIT } from "../command";
import { parseArgs } from "../args";
import { synthesize } from "../synth";
import { byEnvironment, readSynthesizedStacks, type SynthesizedStack } from "../synthesized";
import { readDiagramModel } from "../../src/features/diagram/model";
import { renderMermaid } from "../../src/features/diagram/mermaid";
import { renderDiagramMarkdown } from "../../src/features/diagram/markdown";

/** The Markdown page of each environment's diagram, by file name: per-app stacks are drawn together, one page per environment. */
export function diagramPages(stacks: readonly SynthesizedStack[]): Map<string, string> {
  const pages = new Map<string, string>();
  for (const env of byEnvironment(stacks)) pages.set(`${env.name}.md`, `${renderDiagramMarkdown(env.name, renderMermaid(env.name, readDiagramModel(env.json)))}\n`);
  return pages;
}

export const diagram: Command = {
  name: "diagram",
  summary: "Write a Mermaid diagram of each environment: domains → apps → process groups → volumes",
  help: `Usage: flystack diagram [ENV…] [--out DIR] [--check]

Synthesizes every environment and writes DIR/<env>.md with a Mermaid flowchart drawn from the
synthesized stack: DNS records → domains → apps → process groups (machines per region) → volumes.

Arguments:
  ENV…        Environments to draw; globs work. Default: every environment.
Options:
  --out DIR   Where the pages go. Default: docs/diagrams
  --check     Write nothing; exit 1 when a page is missing or differs from what would be written.
  --help      Show this help.

Exit codes: 0 written (or, with --check, up to date); 1 out of date or invalid configuration.`,
  async run(args, ctx) {
    const { options, positionals } = parseArgs(args, { out: { kind: "string" }, check: { kind: "boolean" } });
    if (!(await synthesize(ctx, { select: positionals })).ok) return EXIT.error;
    const outDir = path.resolve(ctx.cwd, options.out ?? path.join("docs", "diagrams"));
    const pages = diagramPages(readSynthesizedStacks(path.join(ctx.cwd, "cdktf.out"), positionals));
    if (options.check) {
      const stale = [...pages].filter(([file, text]) => !fs.existsSync(path.join(outDir, file)) || fs.readFileSync(path.join(outDir, file), "utf8") !== text);
      for (const [file] of stale) ctx.stderr.write(`out of date: ${path.relative(ctx.cwd, path.join(outDir, file))} (run: bin/flystack generate)\n`);
      if (stale.length === 0) ctx.stdout.write(`diagrams up to date: ${[...pages.keys()].join(", ")}\n`);
      return stale.length > 0 ? EXIT.error : EXIT.ok;
    }
    fs.mkdirSync(outDir, { recursive: true });
    for (const [file, text] of pages) {
      fs.writeFileSync(path.join(outDir, file), text);
      ctx.stdout.write(`${path.relative(ctx.cwd, path.join(outDir, file))}\n`);
    }
    return EXIT.ok;
  },
};
