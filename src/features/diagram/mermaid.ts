/**
 * An environment's diagram as a Mermaid flowchart, read left to right the way a request travels:
 * DNS record → domain (Fly certificate) → app → process group → volumes.
 *
 * - DNS records sit in one subgraph, "DNS (Cloudflare)", next to each other per domain; each
 *   points at the domain it serves. Records that serve no certificate's hostname are shown too,
 *   pointing at the app whose IP they hold, if any.
 * - Each app is a subgraph: the app node (Fly name and IPs), one node per process group with its
 *   machines aggregated per region and size, and one node per group, region and volume size.
 *   A thousand machines in ten regions is still one group node and ten volume nodes.
 *
 * The text depends only on the model, which is sorted, so the same stack always renders the same
 * diagram, and a change to the diagram in a pull request is a change to the infrastructure.
 */
import { appLabelLines, groupLabelLines, recordLabel, volumeLabel } from "./labels";
import type { App, DiagramModel, DnsRecord, VolumeSet } from "./model";
import { commentText, MermaidIds, quotedLabel } from "./mermaid-text";

export function renderMermaid(environmentName: string, model: DiagramModel): string {
  const chart = new Flowchart();
  const appNode = (appKey: string): string => chart.ids.id("fly_app", [appKey]);
  const domainNode = (certKey: string): string => chart.ids.id("domain", [certKey]);
  const recordNode = (record: DnsRecord): string => chart.ids.id("record", [record.key]);

  for (const note of model.notes) chart.comment(`note: ${note}`);

  const attached = model.domains.flatMap((domain) => domain.records.map((record) => ({ record, certKey: domain.certKey })));
  if (attached.length > 0 || model.unattachedRecords.length > 0) {
    chart.subgraph(chart.ids.id("dns"), "DNS (Cloudflare)", () => {
      for (const { record, certKey } of attached) {
        chart.node(recordNode(record), "box", recordLabel(record));
        chart.edge(recordNode(record), domainNode(certKey));
      }
      for (const record of model.unattachedRecords) {
        chart.node(recordNode(record), "box", recordLabel(record));
        if (record.target.kind === "ip" && record.target.appKey !== undefined) chart.edge(recordNode(record), appNode(record.target.appKey));
      }
    });
  }

  if (model.domains.length > 0) {
    chart.subgraph(chart.ids.id("domains"), "Domains (Fly certificates)", () => {
      for (const domain of model.domains) {
        chart.node(domainNode(domain.certKey), "stadium", domain.hostname);
        if (domain.appKey !== undefined) chart.edge(domainNode(domain.certKey), appNode(domain.appKey));
      }
    });
  }

  for (const app of model.apps) renderApp(chart, app, appNode(app.key));

  if (model.apps.length === 0 && model.domains.length === 0 && model.unattachedRecords.length === 0) {
    chart.node(chart.ids.id("empty"), "box", "no Fly apps, domains or DNS records in this stack");
  }
  return chart.text(`${environmentName}: Fly apps and DNS`);
}

function renderApp(chart: Flowchart, app: App, appId: string): void {
  chart.subgraph(chart.ids.id("app", [app.key]), `Fly app ${app.key}`, () => {
    chart.node(appId, "rounded", ...appLabelLines(app));
    for (const group of app.groups) {
      const groupId = chart.ids.id("group", [app.key, group.name]);
      chart.node(groupId, "box", ...groupLabelLines(group));
      chart.edge(appId, groupId);
      for (const volumes of group.volumes) {
        const volumeId = volumeSetId(chart.ids, "volume", [app.key, group.name], volumes);
        chart.node(volumeId, "cylinder", volumeLabel(volumes));
        chart.edge(groupId, volumeId, { label: volumes.mountPath });
      }
    }
    for (const volumes of app.unmountedVolumes) {
      const volumeId = volumeSetId(chart.ids, "unmounted", [app.key], volumes);
      chart.node(volumeId, "cylinder", volumeLabel(volumes));
      chart.edge(appId, volumeId, { label: "not mounted", dotted: true });
    }
  });
}

// Size and mount path tell sets of one name and region apart without lengthening every ID.
function volumeSetId(ids: MermaidIds, kind: string, parts: readonly string[], volumes: VolumeSet): string {
  return ids.id(kind, [...parts, volumes.name, volumes.region], [String(volumes.sizeGb ?? ""), volumes.mountPath ?? ""]);
}

type Shape = "box" | "rounded" | "stadium" | "cylinder";
const SHAPES: Readonly<Record<Shape, readonly [string, string]>> = {
  box: ["[", "]"],
  rounded: ["(", ")"],
  stadium: ["([", "])"],
  cylinder: ["[(", ")]"],
};

const INDENT = "  ";

/**
 * Collects a flowchart's statements. Nodes are written where they are declared (inside their
 * subgraph); edges are kept aside and written after every subgraph, because an edge written
 * inside a subgraph pulls the nodes it names into that subgraph.
 */
class Flowchart {
  readonly ids = new MermaidIds();
  private readonly statements: string[] = [];
  private readonly edges: string[] = [];
  private depth = 1;

  comment(text: string): void {
    this.statements.push(`${INDENT.repeat(this.depth)}%% ${commentText(text)}`);
  }

  node(id: string, shape: Shape, ...label: readonly string[]): void {
    const [open, close] = SHAPES[shape];
    this.statements.push(`${INDENT.repeat(this.depth)}${id}${open}${quotedLabel(...label)}${close}`);
  }

  edge(from: string, to: string, options: { readonly label?: string; readonly dotted?: boolean } = {}): void {
    const arrow = options.dotted === true ? "-.->" : "-->";
    const label = options.label === undefined ? "" : `|${quotedLabel(options.label)}|`;
    this.edges.push(`${INDENT}${from} ${arrow}${label} ${to}`);
  }

  subgraph(id: string, title: string, body: () => void): void {
    this.statements.push(`${INDENT.repeat(this.depth)}subgraph ${id}[${quotedLabel(title)}]`);
    this.depth += 1;
    body();
    this.depth -= 1;
    this.statements.push(`${INDENT.repeat(this.depth)}end`);
  }

  /** The diagram, with `title` in front matter (a JSON string is a valid YAML scalar). */
  text(title: string): string {
    return ["---", `title: ${JSON.stringify(title)}`, "---", "flowchart LR", ...this.statements, ...this.edges, ""].join("\n");
  }
}
