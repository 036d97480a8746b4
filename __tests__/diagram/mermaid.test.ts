import { groupLabelLines, guestLabel, ipsLabel, memoryLabel, volumeLabel } from "../../src/features/diagram/labels";
import { renderMermaid } from "../../src/features/diagram/mermaid";
import { commentText, escapeLabelText, MermaidIds, quotedLabel } from "../../src/features/diagram/mermaid-text";
import { readDiagramModel, type App, type ProcessGroup } from "../../src/features/diagram/model";
import { domainsStack, hostileStack, largeStack, multiRegionStack, volumesStack } from "./fixtures";

const render = (json: unknown, env = "test"): string => renderMermaid(env, readDiagramModel(json));
const linesOf = (text: string): string[] => text.split("\n");

describe("renderMermaid", () => {
  it("renders volume groups per region, with the mount path on the edge", () => {
    expect(render(volumesStack(), "production")).toBe(
      [
        "---",
        'title: "production: Fly apps and DNS"',
        "---",
        "flowchart LR",
        '  subgraph app_db["Fly app db"]',
        '    fly_app_db("acme-db<br/>IPs: Flycast")',
        '    group_db_postgres["postgres: 2× performance-1x 2GB in iad, 1× performance-1x 2GB in lhr"]',
        '    volume_db_postgres_pg_data_iad[("pg_data ×2, 40 GB each, iad")]',
        '    volume_db_postgres_pg_data_lhr[("pg_data, 40 GB, lhr")]',
        "  end",
        "  fly_app_db --> group_db_postgres",
        '  group_db_postgres -->|"/data"| volume_db_postgres_pg_data_iad',
        '  group_db_postgres -->|"/data"| volume_db_postgres_pg_data_lhr',
        "",
      ].join("\n"),
    );
  });

  it("renders apex, subdomain and wildcard domains with their DNS records", () => {
    expect(render(domainsStack(), "staging")).toBe(
      [
        "---",
        'title: "staging: Fly apps and DNS"',
        "---",
        "flowchart LR",
        '  subgraph dns["DNS (Cloudflare)"]',
        '    record_web_wildcard_preview_example_com_cname["CNAME *.preview.example.com"]',
        '    record_web_wildcard_preview_example_com_acme_challenge["CNAME _acme-challenge.preview.example.com"]',
        '    record_web_example_com_a["A example.com"]',
        '    record_web_example_com_aaaa["AAAA example.com"]',
        '    record_web_www_example_com_cname["CNAME www.example.com"]',
        "  end",
        '  subgraph domains["Domains (Fly certificates)"]',
        '    domain_web_wildcard_preview_example_com(["*.preview.example.com"])',
        '    domain_web_example_com(["example.com"])',
        '    domain_web_www_example_com(["www.example.com"])',
        "  end",
        '  subgraph app_web["Fly app web"]',
        '    fly_app_web("acme-web<br/>IPs: shared IPv4, IPv6")',
        '    group_web_web["web: 1× shared-cpu-1x 512MB in iad"]',
        "  end",
        "  record_web_wildcard_preview_example_com_cname --> domain_web_wildcard_preview_example_com",
        "  record_web_wildcard_preview_example_com_acme_challenge --> domain_web_wildcard_preview_example_com",
        "  record_web_example_com_a --> domain_web_example_com",
        "  record_web_example_com_aaaa --> domain_web_example_com",
        "  record_web_www_example_com_cname --> domain_web_www_example_com",
        "  domain_web_wildcard_preview_example_com --> fly_app_web",
        "  domain_web_example_com --> fly_app_web",
        "  domain_web_www_example_com --> fly_app_web",
        "  fly_app_web --> group_web_web",
        "",
      ].join("\n"),
    );
  });

  it("gives each app a subgraph and each group one node across regions, release command included", () => {
    const lines = linesOf(render(multiRegionStack()));
    expect(lines).toContain('  subgraph app_api["Fly app api"]');
    expect(lines).toContain('  subgraph app_worker["Fly app worker"]');
    expect(lines).toContain(
      '    group_api_web["web: 3× shared-cpu-1x 512MB in iad, 2× shared-cpu-1x 512MB in lhr, 1× shared-cpu-1x 512MB in syd<br/>release: node dist/migrate.js"]',
    );
    expect(lines).toContain('    group_api_worker["worker: 2× shared-cpu-2x 1GB in iad"]');
    expect(lines).toContain('    fly_app_worker("acme-worker<br/>no IPs")');
    expect(lines.filter((line) => line.includes("-->"))).toEqual([
      "  record_api_api_example_com_cname --> domain_api_api_example_com",
      "  domain_api_api_example_com --> fly_app_api",
      "  fly_app_api --> group_api_web",
      "  fly_app_api --> group_api_worker",
      "  fly_app_worker --> group_worker_worker",
    ]);
  });

  it("declares every node before the first edge, so no edge pulls a node into another subgraph", () => {
    for (const json of [domainsStack(), volumesStack(), multiRegionStack(), hostileStack()]) {
      const lines = linesOf(render(json));
      const firstEdge = lines.findIndex((line) => line.includes("-->") || line.includes("-.->"));
      const lastEnd = lines.lastIndexOf("  end");
      expect(firstEdge).toBeGreaterThan(lastEnd);
    }
  });

  it("stays a handful of nodes for a thousand machines", () => {
    const regions = ["ams", "arn", "cdg", "fra", "iad", "lhr", "nrt", "ord", "sjc", "syd"];
    const text = render(largeStack(regions, 100));
    const lines = linesOf(text);
    // Title (3), flowchart, subgraph, app, group, 10 volume sets, end, 11 edges, final newline.
    expect(lines).toHaveLength(30);
    expect(lines).toContain('    volume_api_web_cache_syd[("cache ×100, 1 GB each, syd")]');
    expect(lines).toContain(
      '    group_api_web["web: 100× shared-cpu-1x 512MB in ams, 100× shared-cpu-1x 512MB in arn, 100× shared-cpu-1x 512MB in cdg,' +
        "<br/>100× shared-cpu-1x 512MB in fra, 100× shared-cpu-1x 512MB in iad, 100× shared-cpu-1x 512MB in lhr," +
        "<br/>100× shared-cpu-1x 512MB in nrt, 100× shared-cpu-1x 512MB in ord, 100× shared-cpu-1x 512MB in sjc," +
        '<br/>100× shared-cpu-1x 512MB in syd"]',
    );
  });

  it("escapes every label and keeps colliding IDs apart", () => {
    const lines = linesOf(render(hostileStack()));
    expect(lines).toContain('    fly_app_end("acme #quot;beta#quot; #lt;b#gt;#35;1#lt;/b#gt; #amp; #96;co#96; | x<br/>no IPs")');
    expect(lines).toContain(
      '    group_end_o_x["o#quot;x: 1× shared-cpu-1x 512MB in iad<br/>release: sh -c #quot;echo #35;quot; #gt; /srv/a#quot;"]',
    );
    expect(lines).toContain('  group_end_o_x -->|"/da#quot;ta"| volume_end_o_x_v_1_iad');
    expect(lines).toContain('    record_x_y["CNAME x-y.example.com (proxied)"]');
    expect(lines).toContain('    record_x_y_2["CNAME x.y.example.com"]');
    expect(lines).toContain('    group_end_style["style: 1× shared-cpu-1x 512MB in iad"]');
  });

  it("shows unmounted volumes with a dotted edge, records for no domain, and notes as comments", () => {
    const json = volumesStack();
    json.resource.fly_volume = { ...json.resource.fly_volume, spare: { app: "${fly_app.db.name}", name: "spare", region: "iad", size_gb: 10 } };
    json.resource.fly_machine = { ...json.resource.fly_machine, lost: { app: "gone {x}\n%%{init: {}}%%", region: "iad" } };
    json.resource.fly_ip = { ...json.resource.fly_ip, db_v4: { app: "${fly_app.db.name}", type: "public_v4" } };
    json.resource.cloudflare_dns_record = { db: { name: "db.example.com", type: "A", content: "${fly_ip.db_v4.address}" } };
    const lines = linesOf(render(json));
    expect(lines).toContain('    unmounted_db_spare_iad[("spare, 10 GB, iad")]');
    expect(lines).toContain('  fly_app_db -.->|"not mounted"| unmounted_db_spare_iad');
    expect(lines).toContain('    record_db["A db.example.com"]');
    expect(lines).toContain("  record_db --> fly_app_db");
    expect(lines).toContain('  %% note: fly_machine.lost: its app "gone (x)\\n%%(init: ())%%" is no fly_app of this stack, so it is left out');
    expect(lines).toContain('    fly_app_db("acme-db<br/>IPs: dedicated IPv4, Flycast")');
  });

  it("says so when the stack has nothing to draw", () => {
    expect(render({})).toBe(['---', 'title: "test: Fly apps and DNS"', "---", "flowchart LR", '  empty["no Fly apps, domains or DNS records in this stack"]', ""].join("\n"));
  });

  it("is the same text on every run and for any resource order", () => {
    const json = multiRegionStack();
    const shuffled = {
      resource: Object.fromEntries(
        Object.entries(json.resource)
          .reverse()
          .map(([type, bodies]) => [type, Object.fromEntries(Object.entries(bodies).reverse())]),
      ),
    };
    expect(render(shuffled)).toBe(render(json));
    expect(render(json)).toBe(render(multiRegionStack()));
  });
});

describe("labels", () => {
  const group = (placements: ProcessGroup["placements"], releaseCommands: string[] = []): ProcessGroup => ({
    name: "web",
    machineCount: placements.reduce((sum, p) => sum + p.count, 0),
    placements,
    volumes: [],
    releaseCommands,
  });

  it.each([
    [{ cpuKind: "shared", cpus: 1, memoryMb: 256 }, "shared-cpu-1x 256MB"],
    [{ cpuKind: "shared", cpus: 2, memoryMb: 1024 }, "shared-cpu-2x 1GB"],
    [{ cpuKind: "shared", cpus: 1, memoryMb: 1280 }, "shared-cpu-1x 1280MB"],
    [{ cpuKind: "performance", cpus: 4, memoryMb: 8192 }, "performance-4x 8GB"],
    [{ cpuKind: "a100-40gb", cpus: 8, memoryMb: 32768 }, "a100-40gb-8x 32GB"],
    [undefined, "default size"],
  ])("guest %j reads %s", (guest, expected) => {
    expect(guestLabel(guest)).toBe(expected);
  });

  it("writes memory in MB below 1 GB and for partial gigabytes", () => {
    expect([512, 1024, 1536, 2048].map(memoryLabel)).toEqual(["512MB", "1GB", "1536MB", "2GB"]);
  });

  it("lists a group's placements, wrapping after three, then its release commands", () => {
    const guest = { cpuKind: "shared", cpus: 1, memoryMb: 512 };
    expect(groupLabelLines(group([{ region: "iad", guest, count: 2 }, { region: "lhr", guest, count: 2 }]))).toEqual([
      "web: 2× shared-cpu-1x 512MB in iad, 2× shared-cpu-1x 512MB in lhr",
    ]);
    const regions = ["a", "b", "c", "d"].map((region) => ({ region, guest, count: 1 }));
    expect(groupLabelLines(group(regions, ["migrate"]))).toEqual([
      "web: 1× shared-cpu-1x 512MB in a, 1× shared-cpu-1x 512MB in b, 1× shared-cpu-1x 512MB in c,",
      "1× shared-cpu-1x 512MB in d",
      "release: migrate",
    ]);
    expect(groupLabelLines(group([]))).toEqual(["web: no machines"]);
  });

  it("writes a volume set's count, size and region", () => {
    expect(volumeLabel({ name: "pg_data", region: "iad", sizeGb: 40, mountPath: "/data", count: 2 })).toBe("pg_data ×2, 40 GB each, iad");
    expect(volumeLabel({ name: "pg_data", region: "iad", sizeGb: 40, mountPath: "/data", count: 1 })).toBe("pg_data, 40 GB, iad");
    expect(volumeLabel({ name: "x", region: "iad", sizeGb: undefined, mountPath: undefined, count: 3 })).toBe("x ×3, size not set, iad");
  });

  it("names IP types, public IPv4 first, unknown types as they are", () => {
    const app = (types: string[]): App => ({ key: "a", name: "a", groups: [], unmountedVolumes: [], ips: types.map((type, i) => ({ key: `i${i}`, type })) });
    expect(ipsLabel(app(["private_v6", "public_v6", "shared_v4"]))).toBe("IPs: shared IPv4, IPv6, Flycast");
    expect(ipsLabel(app(["zz_new", "public_v4", "v6", "public_v6"]))).toBe("IPs: dedicated IPv4, IPv6, zz_new");
    expect(ipsLabel(app([]))).toBe("no IPs");
  });
});

describe("mermaid-text", () => {
  it("escapes what would end a label, open HTML or a Markdown string, or be read as configuration", () => {
    expect(escapeLabelText('a "b" <i>&amp;</i> #1 `c` 100% %%{init}%%')).toBe(
      "a #quot;b#quot; #lt;i#gt;#amp;amp;#lt;/i#gt; #35;1 #96;c#96; 100#37; #37;#37;{init}#37;#37;",
    );
    expect(escapeLabelText("line\none\r\ntwo\tthree")).toBe("line one two three");
    expect(escapeLabelText("web: a:b c:")).toBe("web: a#58;b c#58;");
    expect(quotedLabel("one", 'two "2"')).toBe('"one<br/>two #quot;2#quot;"');
  });

  it("keeps comments on one line and without directive braces", () => {
    expect(commentText("a\nb {c} %%{init}%%")).toBe("a b (c) %%(init)%%");
  });

  it("makes safe, stable, distinct IDs", () => {
    const ids = new MermaidIds();
    expect(ids.id("domain", ["*.example.com"])).toBe("domain___example_com");
    expect(ids.id("domain", ["__example_com"])).toBe("domain___example_com_2");
    expect(ids.id("domain", ["*.example.com"])).toBe("domain___example_com");
    expect(ids.id("volume", ["db", "pg"], ["40"])).toBe("volume_db_pg");
    expect(ids.id("volume", ["db", "pg"], ["80"])).toBe("volume_db_pg_2");
    expect(ids.id("group", ["é", "end"])).toBe("group___end");
  });
});
