import { DiagramInputError, readDiagramModel, type App, type DiagramModel } from "../../src/features/diagram/model";
import { baseVolumeName, DEFAULT_PROCESS_GROUP } from "../../src/features/diagram/read-apps";
import { app, domain, domainsStack, machines, multiRegionStack, ref, stack, volumesStack } from "./fixtures";

const appOf = (model: DiagramModel, key: string): App => {
  const found = model.apps.find((a) => a.key === key);
  if (found === undefined) throw new Error(`no app ${key}`);
  return found;
};

describe("readDiagramModel: domains and DNS records", () => {
  const model = readDiagramModel(domainsStack());

  it("has one domain per certificate, sorted by hostname, each served by its app", () => {
    expect(model.domains.map((d) => [d.hostname, d.certKey, d.appKey, d.wildcard])).toEqual([
      ["*.preview.example.com", "web_wildcard_preview_example_com", "web", true],
      ["example.com", "web_example_com", "web", false],
      ["www.example.com", "web_www_example_com", "web", false],
    ]);
  });

  it("groups the apex's A and AAAA records with it, pointing at the app's IPs", () => {
    const apex = model.domains.find((d) => d.hostname === "example.com");
    expect(apex?.records).toEqual([
      { key: "web_example_com_a", type: "A", name: "example.com", proxied: false, target: { kind: "ip", ipKey: "web_shared_ipv4", appKey: "web" } },
      { key: "web_example_com_aaaa", type: "AAAA", name: "example.com", proxied: false, target: { kind: "ip", ipKey: "web_ipv6", appKey: "web" } },
    ]);
  });

  it("groups a subdomain's CNAME with it", () => {
    const sub = model.domains.find((d) => d.hostname === "www.example.com");
    expect(sub?.records.map((r) => [r.type, r.name, r.target])).toEqual([
      ["CNAME", "www.example.com", { kind: "cert", certKey: "web_www_example_com", attribute: "cname" }],
    ]);
  });

  it("groups a wildcard's CNAME and its _acme-challenge CNAME with it", () => {
    const wildcard = model.domains.find((d) => d.wildcard);
    expect(wildcard?.records.map((r) => [r.type, r.name])).toEqual([
      ["CNAME", "*.preview.example.com"],
      ["CNAME", "_acme-challenge.preview.example.com"],
    ]);
  });

  it("leaves nothing unattached and has no notes", () => {
    expect(model.unattachedRecords).toEqual([]);
    expect(model.notes).toEqual([]);
  });

  it("attaches records without a validation gate by content, by name, and by _acme-challenge name", () => {
    const withoutGates = domainsStack();
    delete withoutGates.resource.fly_cert_validation;
    const byOtherLinks = readDiagramModel(withoutGates);
    expect(byOtherLinks.domains).toEqual(model.domains);
  });

  it("attaches an _acme-challenge record by its name alone, and keeps a record for no certificate apart", () => {
    const json = stack(app("web", "acme-web"), domain("web", "*.example.com", "wildcard"), {
      cloudflare_dns_record: {
        challenge_by_name: { name: "_acme-challenge.example.com", type: "TXT", content: "token" },
        mail: { name: "example.com", type: "MX", content: "mx.mail.example.net" },
      },
    });
    const result = readDiagramModel(json);
    expect(result.domains[0]?.records.map((r) => r.key)).toEqual([
      "web_wildcard_example_com_cname",
      "web_wildcard_example_com_acme_challenge",
      "challenge_by_name",
    ]);
    expect(result.unattachedRecords).toEqual([
      { key: "mail", type: "MX", name: "example.com", proxied: false, target: { kind: "other", content: "mx.mail.example.net" } },
    ]);
  });

  it("matches hostnames without regard to case or a trailing dot", () => {
    const json = stack(app("web", "acme-web"), {
      fly_cert: { c: { app: ref("fly_app", "web", "name"), hostname: "Example.com" } },
      cloudflare_dns_record: { r: { name: "example.COM.", type: "A", content: "203.0.113.1", proxied: true } },
    });
    expect(readDiagramModel(json).domains[0]?.records).toEqual([
      { key: "r", type: "A", name: "example.COM.", proxied: true, target: { kind: "other", content: "203.0.113.1" } },
    ]);
  });

  it("notes a certificate whose app is not in the stack, and still shows the domain", () => {
    const json = stack({ fly_cert: { c: { app: "someone-elses-app", hostname: "x.example.com" } } });
    const result = readDiagramModel(json);
    expect(result.domains).toEqual([{ certKey: "c", hostname: "x.example.com", appKey: undefined, wildcard: false, records: [] }]);
    expect(result.notes).toEqual(['fly_cert.c: its app "someone-elses-app" is no fly_app of this stack']);
  });
});

describe("readDiagramModel: apps, process groups and volumes", () => {
  it("aggregates a group's machines per region and size, regions sorted", () => {
    const api = appOf(readDiagramModel(multiRegionStack()), "api");
    expect(api.groups.map((g) => g.name)).toEqual(["web", "worker"]);
    const [web, worker] = api.groups;
    expect(web?.machineCount).toBe(6);
    expect(web?.placements).toEqual([
      { region: "iad", guest: { cpuKind: "shared", cpus: 1, memoryMb: 512 }, count: 3 },
      { region: "lhr", guest: { cpuKind: "shared", cpus: 1, memoryMb: 512 }, count: 2 },
      { region: "syd", guest: { cpuKind: "shared", cpus: 1, memoryMb: 512 }, count: 1 },
    ]);
    expect(web?.releaseCommands).toEqual(["node dist/migrate.js"]);
    expect(worker?.placements).toEqual([{ region: "iad", guest: { cpuKind: "shared", cpus: 2, memoryMb: 1024 }, count: 2 }]);
    expect(worker?.releaseCommands).toEqual([]);
  });

  it("keeps machines of one region with different sizes apart", () => {
    const json = stack(
      app("api", "acme-api"),
      machines("api", "web", "iad", 1),
      { fly_machine: { other: { app: ref("fly_app", "api", "name"), region: "iad", metadata: { fly_process_group: "web" }, guest: { cpu_kind: "performance", cpus: 2, memory_mb: 4096 } } } },
    );
    expect(appOf(readDiagramModel(json), "api").groups[0]?.placements).toEqual([
      { region: "iad", guest: { cpuKind: "performance", cpus: 2, memoryMb: 4096 }, count: 1 },
      { region: "iad", guest: { cpuKind: "shared", cpus: 1, memoryMb: 512 }, count: 1 },
    ]);
  });

  it("sorts apps by key and gives each its IPs", () => {
    const model = readDiagramModel(multiRegionStack());
    expect(model.apps.map((a) => [a.key, a.name])).toEqual([
      ["api", "acme-api"],
      ["worker", "acme-worker"],
    ]);
    expect(appOf(model, "api").ips).toEqual([
      { key: "api_ipv6", type: "public_v6" },
      { key: "api_shared_ipv4", type: "shared_v4" },
    ]);
    expect(appOf(model, "worker").ips).toEqual([]);
  });

  it("aggregates volumes per group, region, size and mount, under their base name", () => {
    const db = appOf(readDiagramModel(volumesStack()), "db");
    expect(db.groups[0]?.volumes).toEqual([
      { name: "pg_data", region: "iad", sizeGb: 40, mountPath: "/data", count: 2 },
      { name: "pg_data", region: "lhr", sizeGb: 40, mountPath: "/data", count: 1 },
    ]);
    expect(db.unmountedVolumes).toEqual([]);
    expect(db.ips).toEqual([{ key: "db_flycast", type: "private_v6" }]);
  });

  it("keeps volumes no machine mounts, per app", () => {
    const json = stack(volumesStack().resource, {
      fly_volume: { spare: { app: ref("fly_app", "db", "name"), name: "pg_data_iad_9", region: "iad", size_gb: 80 } },
    });
    expect(appOf(readDiagramModel(json), "db").unmountedVolumes).toEqual([
      { name: "pg_data", region: "iad", sizeGb: 80, mountPath: undefined, count: 1 },
    ]);
  });

  it("puts machines without a process group in Fly's default group, and tolerates a missing guest", () => {
    const json = stack(app("a", "acme-a"), { fly_machine: { m: { app: ref("fly_app", "a", "name"), region: "ams" } } });
    expect(appOf(readDiagramModel(json), "a").groups).toEqual([
      { name: DEFAULT_PROCESS_GROUP, machineCount: 1, placements: [{ region: "ams", guest: undefined, count: 1 }], volumes: [], releaseCommands: [] },
    ]);
  });

  it("reads single blocks written as one-element lists, and resolves an app given by its Fly name", () => {
    const json = stack(app("a", "acme-a"), {
      fly_machine: {
        m: { app: "acme-a", region: "ams", metadata: [{ fly_process_group: "web" }], guest: [{ cpu_kind: "shared", cpus: 1, memory_mb: 256 }] },
      },
    });
    expect(appOf(readDiagramModel(json), "a").groups[0]?.placements).toEqual([
      { region: "ams", guest: { cpuKind: "shared", cpus: 1, memoryMb: 256 }, count: 1 },
    ]);
  });

  it("honours a literal count and notes one known only at plan time", () => {
    const machine = (extra: object) => ({ app: ref("fly_app", "a", "name"), region: "ams", metadata: { fly_process_group: "web" }, ...extra });
    const json = stack(app("a", "acme-a"), {
      fly_machine: { five: machine({ count: 5 }), none: machine({ count: 0 }), later: machine({ count: "${var.n}" }), each: machine({ for_each: "${var.m}" }) },
    });
    const model = readDiagramModel(json);
    expect(appOf(model, "a").groups[0]?.machineCount).toBe(7);
    expect(model.notes).toEqual([
      "fly_machine.each: uses for_each, whose instances are known only at plan time; shown as one machine",
      'fly_machine.later: its count "${var.n}" is known only at plan time; shown as one machine',
    ]);
  });

  it("notes what it cannot place instead of failing", () => {
    const json = stack(app("a", "acme-a"), {
      fly_machine: {
        orphan: { app: "not-here", region: "ams" },
        lost_mount: { app: ref("fly_app", "a", "name"), region: "ams", mount: [{ path: "/d", volume: "vol_123" }] },
        twice: { app: ref("fly_app", "a", "name"), region: "ams", mount: [{ path: "/d", volume: ref("fly_volume", "v", "id") }, { path: "/e", volume: ref("fly_volume", "v", "id") }] },
      },
      fly_volume: { v: { app: ref("fly_app", "a", "name"), name: "v", region: "ams", size_gb: 1 }, w: { name: "w", region: "ams" } },
      fly_ip: { i: { app: ref("fly_app", "gone", "name"), type: "shared_v4" } },
      fly_app: { broken: "not an object" } as unknown as Record<string, Record<string, unknown>>,
    });
    const model = readDiagramModel(json);
    expect(model.notes).toEqual([
      'fly_machine.lost_mount: mounts "vol_123", which is no fly_volume of this stack, so that mount is left out',
      'fly_machine.orphan: its app "not-here" is no fly_app of this stack, so it is left out',
      "fly_machine.twice: mounts fly_volume.v, which another machine already mounts; it is counted once",
      "fly_volume.w: its app (none) is no fly_app of this stack, so it is left out",
      'fly_ip.i: its app "${fly_app.gone.name}" is no fly_app of this stack, so it is left out',
    ]);
    expect(model.apps.map((a) => a.key)).toEqual(["a"]);
  });

  it("rejects input that is not a stack, and reads an empty stack as empty", () => {
    expect(() => readDiagramModel([])).toThrow(DiagramInputError);
    expect(() => readDiagramModel({ resource: [] })).toThrow('"resource" must be an object');
    expect(readDiagramModel({})).toEqual({ apps: [], domains: [], unattachedRecords: [], notes: [] });
  });

  it("gives the same model whatever order the stack lists resources in", () => {
    const json = multiRegionStack();
    const reversed = {
      resource: Object.fromEntries(
        Object.entries(json.resource)
          .reverse()
          .map(([type, bodies]) => [type, Object.fromEntries(Object.entries(bodies).reverse())]),
      ),
    };
    expect(readDiagramModel(reversed)).toEqual(readDiagramModel(json));
  });
});

describe("baseVolumeName", () => {
  it.each([
    ["pg_data_iad_1", "iad", "pg_data"],
    ["pg_data_iad_12", "iad", "pg_data"],
    ["pg_data_lhr_1", "iad", "pg_data_lhr_1"],
    ["data", "iad", "data"],
    ["_iad_1", "iad", "_iad_1"],
    ["a.b_c+d_1", "c+d", "a.b"],
  ])("%s in %s is %s", (name, region, expected) => {
    expect(baseVolumeName(name, region)).toBe(expected);
  });
});
