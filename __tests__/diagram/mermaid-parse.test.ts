/**
 * Every diagram flystack renders must parse as Mermaid, and Mermaid must read from it the graph
 * the model describes: the same labels (so escaping round-trips), the same edges, and the same
 * subgraph membership. The parser is Mermaid's own (the `mermaid` devDependency), run in Node by
 * mermaid-parser/parse.mjs; see that file for what it does and does not exercise.
 */
import * as path from "node:path";
import { Testing } from "cdktf";
import { buildApp } from "../../main";
import { appLabelLines, groupLabelLines, recordLabel, volumeLabel } from "../../src/features/diagram/labels";
import { renderMermaid } from "../../src/features/diagram/mermaid";
import { readDiagramModel, type DiagramModel } from "../../src/features/diagram/model";
import { domainsStack, hostileStack, largeStack, multiRegionStack, volumesStack } from "./fixtures";
import { expectParsed, parseWithMermaid, type ParseResult } from "./mermaid-parser";

interface Case {
  readonly name: string;
  readonly model: DiagramModel;
  readonly diagram: string;
}

const shipped = buildApp({ environmentsDir: path.join(__dirname, "..", "..", "environments") }).stacks.map(
  (stack): { name: string; json: unknown } => ({ name: stack.node.id, json: JSON.parse(Testing.synth(stack)) }),
);

const withStrayRecordAndNote = (): unknown => {
  const json = volumesStack();
  json.resource.fly_machine = { ...json.resource.fly_machine, lost: { app: 'x"}%%{init: {"theme":"dark"}}%%', region: "iad" } };
  json.resource.fly_volume = { ...json.resource.fly_volume, spare: { app: "${fly_app.db.name}", name: "spare %%{init: {'theme': 'dark'}}%%", region: "iad", size_gb: 1 } };
  json.resource.cloudflare_dns_record = { mx: { name: "example.com", type: "MX", content: "mx.example.net", proxied: true } };
  return json;
};

const inputs: readonly { name: string; env: string; json: unknown }[] = [
  ...shipped.map(({ name, json }) => ({ name: `shipped ${name}`, env: name, json })),
  { name: "apex, subdomain and wildcard domains", env: "staging", json: domainsStack() },
  { name: "volume groups", env: "production", json: volumesStack() },
  { name: "multi-region", env: "production", json: multiRegionStack() },
  { name: "hostile names", env: 'prod "x" %%{init: {"theme":"dark"}}%%', json: hostileStack() },
  { name: "1,000 machines", env: "big", json: largeStack(["ams", "arn", "cdg", "fra", "iad", "lhr", "nrt", "ord", "sjc", "syd"], 100) },
  { name: "stray record, unmounted volume and notes", env: "x", json: withStrayRecordAndNote() },
  { name: "empty stack", env: "empty", json: {} },
];

const cases: readonly Case[] = inputs.map(({ name, env, json }) => {
  const model = readDiagramModel(json);
  return { name, model, diagram: renderMermaid(env, model) };
});

// One child process parses every diagram: loading Mermaid is the slow part.
let results: readonly ParseResult[] = [];
beforeAll(() => {
  results = parseWithMermaid([...cases.map((c) => c.diagram), 'flowchart LR\n  a["unclosed] --> b\n']);
});

/** The graph the model describes, in labels (what a reader sees); edges as `from -->|label| to`. */
function expectedGraph(model: DiagramModel): { nodes: string[]; edges: string[]; subgraphs: string[] } {
  const nodes: string[] = [];
  const edges: string[] = [];
  const subgraphs: string[] = [];
  const show = (lines: readonly string[]): string => lines.join(" / ");
  const appNode = new Map(model.apps.map((app) => [app.key, show(appLabelLines(app))]));
  const records = [...model.domains.flatMap((d) => d.records), ...model.unattachedRecords];
  if (records.length > 0) subgraphs.push(`DNS (Cloudflare): ${records.map(recordLabel).join(", ")}`);
  if (model.domains.length > 0) subgraphs.push(`Domains (Fly certificates): ${model.domains.map((d) => d.hostname).join(", ")}`);
  for (const record of records) nodes.push(recordLabel(record));
  for (const domain of model.domains) {
    nodes.push(domain.hostname);
    for (const record of domain.records) edges.push(`${recordLabel(record)} -->|| ${domain.hostname}`);
    if (domain.appKey !== undefined) edges.push(`${domain.hostname} -->|| ${appNode.get(domain.appKey) ?? "?"}`);
  }
  for (const record of model.unattachedRecords) {
    if (record.target.kind === "ip" && record.target.appKey !== undefined) edges.push(`${recordLabel(record)} -->|| ${appNode.get(record.target.appKey) ?? "?"}`);
  }
  for (const app of model.apps) {
    const members = [show(appLabelLines(app))];
    nodes.push(show(appLabelLines(app)));
    for (const group of app.groups) {
      const groupNode = show(groupLabelLines(group));
      nodes.push(groupNode);
      members.push(groupNode);
      edges.push(`${show(appLabelLines(app))} -->|| ${groupNode}`);
      for (const volumes of group.volumes) {
        nodes.push(volumeLabel(volumes));
        members.push(volumeLabel(volumes));
        edges.push(`${groupNode} -->|${volumes.mountPath ?? ""}| ${volumeLabel(volumes)}`);
      }
    }
    for (const volumes of app.unmountedVolumes) {
      nodes.push(volumeLabel(volumes));
      members.push(volumeLabel(volumes));
      edges.push(`${show(appLabelLines(app))} -.->|not mounted| ${volumeLabel(volumes)}`);
    }
    subgraphs.push(`Fly app ${app.key}: ${members.join(", ")}`);
  }
  if (nodes.length === 0) nodes.push("no Fly apps, domains or DNS records in this stack");
  return { nodes: nodes.sort(), edges: edges.sort(), subgraphs: subgraphs.sort() };
}

/** The graph Mermaid read, in the same terms. */
function parsedGraph(parsed: Extract<ParseResult, { ok: true }>): { nodes: string[]; edges: string[]; subgraphs: string[] } {
  const label = new Map(parsed.vertices.map((v) => [v.id, v.label.join(" / ")]));
  const name = (id: string): string => label.get(id) ?? `(undeclared ${id})`;
  return {
    nodes: parsed.vertices.map((v) => v.label.join(" / ")).sort(),
    edges: parsed.edges
      .map((e) => `${name(e.from)} ${e.stroke === "dotted" ? "-.->" : "-->"}|${e.label}| ${name(e.to)}`)
      .sort(),
    subgraphs: parsed.subgraphs.map((s) => `${s.title}: ${s.nodes.map(name).join(", ")}`).sort(),
  };
}

describe("rendered diagrams parse as Mermaid flowcharts", () => {
  it("the parser rejects a broken flowchart (so a pass means something)", () => {
    const broken = results[cases.length];
    expect(broken?.ok).toBe(false);
    expect(broken?.ok === false && broken.error).toMatch(/Parse error/);
  });

  describe.each(cases.map((c, index) => [c.name, c, index] as const))("%s", (_name, testCase, index) => {
    it("parses as a flowchart", () => {
      expect(expectParsed(results[index], testCase.diagram).diagramType).toBe("flowchart-v2");
    });

    it("reads back as the model's graph: labels, edges and subgraphs", () => {
      const parsed = expectParsed(results[index], testCase.diagram);
      expect(parsedGraph(parsed)).toEqual(expectedGraph(testCase.model));
    });

    it("sets no Mermaid configuration: no directive got in through a name", () => {
      expect(expectParsed(results[index], testCase.diagram).config).toEqual({});
    });
  });
});
