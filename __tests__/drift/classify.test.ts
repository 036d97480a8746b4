/**
 * The drift classifier on hand-written plan JSON: which refresh-only changes are Fly-managed noise,
 * which are accepted by the environment's acceptedDrift (until they expire), which are drift; and
 * the report's JSON and Markdown sections.
 */
import type { PlanResourceChange, TerraformPlan } from "../../src/features/plan/plan-json";
import { changedPaths, classifyDrift, fieldCovers } from "../../src/features/drift/classify";
import { renderDriftMarkdown, stackDrift } from "../../src/features/drift/report";
import type { AcceptedDrift } from "../../src/config/stack-metadata";

const NOW = new Date("2026-11-27T12:00:00Z");

const MACHINE = {
  app: "acme-api",
  id: "m1",
  name: "acme-api-web-iad-1",
  image: "registry.fly.io/acme-api:v1",
  image_digest: "sha256:aaa",
  instance_id: "01A",
  state: "started",
  private_ip: "fdaa::1",
  region: "iad",
  guest: { cpu_kind: "shared", cpus: 1, memory_mb: 256 },
  services: [{ internal_port: 8080, ports: [{ port: 443, handlers: ["tls", "http"] }] }],
};
const VOLUME = { app: "acme-db", id: "v1", name: "pg_iad_1", region: "iad", size_gb: 10, attached_machine_id: null, state: "created", zone: "z1" };
const CERT = {
  app: "acme-api",
  hostname: "api.example.com",
  id: "c1",
  cname: "acme-api.fly.dev",
  acme_challenge_target: "api.example.com.x.flydns.net",
  status: "Ready",
  configured: true,
  dns_configured: true,
  a_records: ["1.2.3.4"],
  aaaa_records: [],
  rate_limited_until: null,
};

function drift(address: string, before: unknown, after: unknown, actions: string[] = ["update"]): PlanResourceChange {
  const type = address.split(".")[0];
  return { address, mode: "managed", type, name: address.split(".")[1], change: { actions, before, after } } as unknown as PlanResourceChange;
}

function plan(changes: { resource_drift?: PlanResourceChange[]; resource_changes?: PlanResourceChange[] }): TerraformPlan {
  return { resource_drift: changes.resource_drift ?? [], resource_changes: changes.resource_changes ?? [] } as unknown as TerraformPlan;
}

const accept = (entry: Partial<AcceptedDrift> & { address: string }): AcceptedDrift => ({ reason: "hotfix deployed by hand, see INC-123", expires: "2026-12-31", ...entry });

describe("changedPaths", () => {
  test("top level and nested, lists by index, a list of another length as one path", () => {
    const after = { ...MACHINE, state: "stopped", guest: { ...MACHINE.guest, cpus: 2 }, services: [{ internal_port: 8080, ports: [{ port: 8443, handlers: ["tls", "http"] }] }] };
    expect(changedPaths(MACHINE, after)).toEqual(["guest.cpus", "services[0].ports[0].port", "state"]);
    expect(changedPaths(CERT, { ...CERT, a_records: ["1.2.3.4", "5.6.7.8"] })).toEqual(["a_records"]);
    expect(changedPaths({ a: null }, {})).toEqual([]);
    expect(changedPaths(MACHINE, MACHINE)).toEqual([]);
  });

  test("fieldCovers: the field itself and paths under it, not a longer name", () => {
    expect(fieldCovers("guest", "guest.cpus")).toBe(true);
    expect(fieldCovers("services", "services[0].ports[0].port")).toBe(true);
    expect(fieldCovers("image_digest", "image_digest")).toBe(true);
    expect(fieldCovers("image", "image_digest")).toBe(false);
  });
});

describe("classifyDrift: Fly-managed attributes are noise, anything else is drift", () => {
  test.each<[string, string, Record<string, unknown>, Record<string, unknown>]>([
    ["a machine stopped by autostop", "fly_machine.api_web_iad_1", MACHINE, { ...MACHINE, state: "stopped" }],
    ["a machine restarted on another host", "fly_machine.api_web_iad_1", MACHINE, { ...MACHINE, instance_id: "01B", private_ip: "fdaa::2" }],
    ["a volume attached after the apply", "fly_volume.db_pg_iad_1", VOLUME, { ...VOLUME, attached_machine_id: "m9" }],
    ["a volume migrated to another zone", "fly_volume.db_pg_iad_1", VOLUME, { ...VOLUME, zone: "z2", state: "hydrating" }],
    ["a certificate renewing", "fly_cert.api_api_example_com", CERT, { ...CERT, status: "Awaiting certificates", configured: false, rate_limited_until: "2026-11-28T00:00:00Z" }],
    ["a certificate listing another address", "fly_cert.api_api_example_com", CERT, { ...CERT, a_records: ["1.2.3.4", "5.6.7.8"], aaaa_records: ["2a09::1"] }],
    ["a validation gate's snapshot", "fly_cert_validation.api_api_example_com", { cert_id: "c1", configured: true, status: "Ready" }, { cert_id: "c1", configured: false, status: "Awaiting" }],
  ])("%s: noise", (_title, address, before, after) => {
    const c = classifyDrift(drift(address, before, after), [], NOW);
    expect(c.kind).toBe("noise");
    expect(c.unexplained).toEqual([]);
    expect(c.flyManaged.length).toBeGreaterThan(0);
  });

  test.each<[string, string, Record<string, unknown>, Record<string, unknown>, string[]]>([
    ["a machine whose image digest changed (with a new instance)", "fly_machine.api_web_iad_1", MACHINE, { ...MACHINE, image_digest: "sha256:bbb", instance_id: "01B" }, ["image_digest"]],
    ["a machine moved to another region", "fly_machine.api_web_iad_1", MACHINE, { ...MACHINE, region: "lhr", state: "stopped" }, ["region"]],
    ["a volume extended by hand", "fly_volume.db_pg_iad_1", VOLUME, { ...VOLUME, size_gb: 20, attached_machine_id: "m9" }, ["size_gb"]],
    ["a certificate whose CNAME target changed", "fly_cert.api_api_example_com", CERT, { ...CERT, cname: "other.fly.dev", status: "Pending" }, ["cname"]],
    ["a secret whose digest changed", "fly_secret.api_token", { app: "a", name: "TOKEN", digest: "d1" }, { app: "a", name: "TOKEN", digest: "d2" }, ["digest"]],
  ])("%s: drift, naming only the attributes that are not Fly-managed", (_title, address, before, after, unexplained) => {
    const c = classifyDrift(drift(address, before, after), [], NOW);
    expect(c.kind).toBe("drift");
    expect(c.unexplained).toEqual(unexplained);
  });

  test("a machine deleted outside Terraform is drift", () => {
    const c = classifyDrift(drift("fly_machine.api_web_iad_1", MACHINE, null, ["delete"]), [], NOW);
    expect(c).toMatchObject({ kind: "drift", unexplained: ["(resource gone)"] });
  });
});

describe("classifyDrift: accepted drift", () => {
  const digestChanged = drift("fly_machine.api_web_iad_1", MACHINE, { ...MACHINE, image_digest: "sha256:bbb", instance_id: "01B" });

  test("an entry for the address and field accepts it (Fly-managed changes beside it allowed)", () => {
    const entry = accept({ address: "fly_machine.api_web_iad_1", field: "image_digest" });
    expect(classifyDrift(digestChanged, [entry], NOW)).toMatchObject({ kind: "accepted", unexplained: [], accepted: [entry], attributes: ["image_digest", "instance_id"] });
  });

  test("an entry without a field accepts every attribute, and a deletion", () => {
    const entry = accept({ address: "fly_machine.api_web_iad_1" });
    expect(classifyDrift(digestChanged, [entry], NOW).kind).toBe("accepted");
    expect(classifyDrift(drift("fly_machine.api_web_iad_1", MACHINE, null, ["delete"]), [entry], NOW).kind).toBe("accepted");
  });

  test("a nested field accepts paths under it only", () => {
    const resized = drift("fly_machine.api_web_iad_1", MACHINE, { ...MACHINE, guest: { ...MACHINE.guest, cpus: 2 }, image_digest: "sha256:bbb" });
    const c = classifyDrift(resized, [accept({ address: "fly_machine.api_web_iad_1", field: "guest" })], NOW);
    expect(c).toMatchObject({ kind: "drift", unexplained: ["image_digest"] });
  });

  test("another field, another address or a deletion under a field accepts nothing", () => {
    expect(classifyDrift(digestChanged, [accept({ address: "fly_machine.api_web_iad_1", field: "image" })], NOW).kind).toBe("drift");
    expect(classifyDrift(digestChanged, [accept({ address: "fly_machine.api_web_iad_2", field: "image_digest" })], NOW).kind).toBe("drift");
    expect(classifyDrift(drift("fly_machine.api_web_iad_1", MACHINE, null, ["delete"]), [accept({ address: "fly_machine.api_web_iad_1", field: "image_digest" })], NOW).kind).toBe("drift");
  });

  test("an entry holds through its expiry day (UTC) and is drift again the day after, naming the expiry", () => {
    const entry = accept({ address: "fly_machine.api_web_iad_1", field: "image_digest", expires: "2026-11-27" });
    expect(classifyDrift(digestChanged, [entry], new Date("2026-11-27T23:59:59Z")).kind).toBe("accepted");
    const after = classifyDrift(digestChanged, [entry], new Date("2026-11-28T00:00:00Z"));
    expect(after).toMatchObject({ kind: "drift", unexplained: ["image_digest"], accepted: [], expired: [entry] });
  });
});

describe("stackDrift and the report", () => {
  const refresh = plan({
    resource_drift: [
      drift("fly_machine.api_web_iad_1", MACHINE, { ...MACHINE, image_digest: "sha256:bbb", instance_id: "01B" }),
      drift("fly_machine.api_web_iad_2", MACHINE, { ...MACHINE, state: "stopped" }),
      drift("fly_volume.db_pg_iad_1", VOLUME, { ...VOLUME, attached_machine_id: "m9" }),
    ],
  });
  const normal = plan({});

  test("only Fly-managed changes: clean, listed as noise", () => {
    const onlyNoise = plan({ resource_drift: refresh.resource_drift.slice(1) });
    const result = stackDrift("staging", onlyNoise, normal, { now: NOW });
    expect(result).toEqual({
      stack: "staging",
      status: "clean",
      drift: [],
      pending: [],
      reverts: [],
      accepted: [],
      noise: [
        { address: "fly_machine.api_web_iad_2", type: "fly_machine", actions: ["update"], attributes: ["state"] },
        { address: "fly_volume.db_pg_iad_1", type: "fly_volume", actions: ["update"], attributes: ["attached_machine_id"] },
      ],
    });
    const md = renderDriftMarkdown([result]);
    expect(md).toContain("## staging: no drift");
    expect(md).toContain("### Fly-managed changes (2)");
    expect(md).toContain("| `fly_machine.api_web_iad_2` | `state` |");
  });

  test("an image digest change is drift; accepted, it is clean and listed as accepted; expired, drift naming the expiry", () => {
    const raw = stackDrift("staging", refresh, normal, { now: NOW });
    expect(raw.status).toBe("drift");
    expect(raw.drift).toEqual([{ address: "fly_machine.api_web_iad_1", type: "fly_machine", actions: ["update"], attributes: ["image_digest"] }]);
    expect(renderDriftMarkdown([raw])).toContain("| `fly_machine.api_web_iad_1` | update | `image_digest` |  |");

    const entry = accept({ address: "fly_machine.api_web_iad_1", field: "image_digest" });
    const ok = stackDrift("staging", refresh, normal, { now: NOW, acceptedDrift: [entry] });
    expect(ok.status).toBe("clean");
    expect(ok.drift).toEqual([]);
    expect(ok.accepted).toEqual([{ address: "fly_machine.api_web_iad_1", type: "fly_machine", actions: ["update"], attributes: ["image_digest", "instance_id"], acceptedBy: [entry] }]);
    const md = renderDriftMarkdown([ok]);
    expect(md).toContain("### Accepted drift (1)");
    expect(md).toContain("| `fly_machine.api_web_iad_1` | `image_digest`, `instance_id` | `hotfix deployed by hand, see INC-123` | 2026-12-31 |");

    const expired = stackDrift("staging", refresh, normal, { now: new Date("2027-01-01T00:00:00Z"), acceptedDrift: [entry] });
    expect(expired.status).toBe("drift");
    expect(expired.drift).toEqual([{ address: "fly_machine.api_web_iad_1", type: "fly_machine", actions: ["update"], attributes: ["image_digest"], expired: [entry] }]);
    expect(renderDriftMarkdown([expired])).toContain("acceptance expired `2026-12-31` (`hotfix deployed by hand, see INC-123`)");
  });

  test("pending code still makes drift; a change to a noise-only resource in the normal plan is pending", () => {
    const change = { address: "fly_machine.api_web_iad_2", mode: "managed", type: "fly_machine", name: "api_web_iad_2", change: { actions: ["update"], before: {}, after: {} } } as unknown as PlanResourceChange;
    const result = stackDrift("staging", refresh, plan({ resource_changes: [change] }), { now: NOW, acceptedDrift: [accept({ address: "fly_machine.api_web_iad_1" })] });
    expect(result.status).toBe("drift");
    expect(result.pending.map((p) => p.address)).toEqual(["fly_machine.api_web_iad_2"]);
    expect(result.reverts).toEqual([]);
  });
});
