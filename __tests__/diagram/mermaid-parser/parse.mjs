/**
 * Parses Mermaid diagrams with Mermaid itself (the `mermaid` package's `mermaid.parse`, the same
 * grammar GitHub's renderer runs), and reports the graph Mermaid built from each one.
 *
 * Mermaid is ESM-only, and Jest runs the project's tests as CommonJS, so the tests start this
 * script with `node` instead of importing Mermaid (see __tests__/diagram/mermaid-parser.ts).
 *
 * stdin: a JSON array of diagram texts. stdout: a JSON array with, for each diagram, either
 * `{ ok: true, diagramType, config, vertices, edges, subgraphs }` or `{ ok: false, error }`.
 * Labels are given as Mermaid would show them: entity codes (`#quot;`) decoded, split at `<br/>`.
 */
import { register } from "node:module";

register("./hooks.mjs", import.meta.url);

let mermaid;
try {
  ({ default: mermaid } = await import("mermaid"));
} catch (error) {
  process.stderr.write(`cannot load the "mermaid" package (a devDependency): ${error.message}\n`);
  process.exit(2);
}
mermaid.initialize({ startOnLoad: false });

const NAMED_ENTITIES = { quot: '"', lt: "<", gt: ">", amp: "&", nbsp: "\u00a0", apos: "'" };

// Mermaid encodes `#35;` / `#quot;` as placeholders before parsing and turns them into HTML
// entities when it renders; this decodes them the way the browser then shows them.
function shownText(text) {
  return String(text ?? "")
    .replace(/\uFB02\u00B0\u00B0(\d+)\u00B6\u00DF/g, (_, code) => String.fromCodePoint(Number(code)))
    .replace(/\uFB02\u00B0(\w+)\u00B6\u00DF/g, (_, name) => NAMED_ENTITIES[name] ?? `&${name};`);
}

function lines(text) {
  const shown = shownText(text);
  return shown === "" ? [] : shown.split(/<br\s*\/?>/);
}

async function parseOne(text) {
  try {
    const { diagramType, config } = await mermaid.parse(text);
    // parse() only answers yes or no; the graph it built comes from the same parser, run again.
    const { db } = await mermaid.mermaidAPI.getDiagramFromText(text);
    return {
      ok: true,
      diagramType,
      config,
      vertices: [...db.getVertices().values()].map((v) => ({ id: v.id, shape: v.type, label: lines(v.text) })),
      edges: db.getEdges().map((e) => ({ from: e.start, to: e.end, label: shownText(e.text), stroke: e.stroke, type: e.type })),
      subgraphs: db.getSubGraphs().map((s) => ({ id: s.id, title: shownText(s.title), nodes: [...s.nodes] })),
    };
  } catch (error) {
    return { ok: false, error: String(error?.message ?? error) };
  }
}

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const diagrams = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const results = [];
// One at a time: Mermaid keeps the diagram being parsed in module state.
for (const text of diagrams) results.push(await parseOne(text));
process.stdout.write(JSON.stringify(results));
