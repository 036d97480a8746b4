/**
 * Runs Mermaid's own parser on diagrams, in a child `node` process (mermaid-parser/parse.mjs):
 * Mermaid is ESM-only and Jest runs these tests as CommonJS. One process parses a whole batch,
 * because loading Mermaid takes most of a second.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";

export interface ParsedVertex {
  readonly id: string;
  /** Mermaid's shape name: `square`, `round`, `stadium`, `cylinder`, … */
  readonly shape?: string;
  /** The label's lines as shown: entity codes decoded, split at `<br/>`. */
  readonly label: readonly string[];
}

export interface ParsedEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  /** `normal` or `dotted`. */
  readonly stroke: string;
}

export interface ParsedSubgraph {
  readonly id: string;
  readonly title: string;
  readonly nodes: readonly string[];
}

export type ParseResult =
  | {
      readonly ok: true;
      readonly diagramType: string;
      /** Configuration Mermaid took from front matter or `%%{init}%%` directives. */
      readonly config: unknown;
      readonly vertices: readonly ParsedVertex[];
      readonly edges: readonly ParsedEdge[];
      readonly subgraphs: readonly ParsedSubgraph[];
    }
  | { readonly ok: false; readonly error: string };

const SCRIPT = path.join(__dirname, "mermaid-parser", "parse.mjs");

export function parseWithMermaid(diagrams: readonly string[]): ParseResult[] {
  const run = spawnSync(process.execPath, [SCRIPT], {
    input: JSON.stringify(diagrams),
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    timeout: 120_000,
  });
  if (run.error !== undefined) throw run.error;
  if (run.status !== 0) {
    throw new Error(`mermaid-parser/parse.mjs exited with ${String(run.status ?? run.signal)}: ${run.stderr}`);
  }
  const results: unknown = JSON.parse(run.stdout);
  if (!Array.isArray(results) || results.length !== diagrams.length) {
    throw new Error(`mermaid-parser/parse.mjs answered ${run.stdout.slice(0, 200)}`);
  }
  return results as ParseResult[];
}

/** The parsed graph, or a test failure that shows Mermaid's error and the diagram. */
export function expectParsed(result: ParseResult | undefined, diagram: string): Extract<ParseResult, { ok: true }> {
  if (result === undefined) throw new Error("no parse result");
  if (!result.ok) throw new Error(`Mermaid rejected the diagram:\n${result.error}\n\n${diagram}`);
  return result;
}
