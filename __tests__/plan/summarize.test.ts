import { parsePlanJson } from "../../src/features/plan/plan-json";
import { planFacts } from "../../src/features/plan/facts";
import { isStatefulType, summarizePlan } from "../../src/features/plan/summarize";
import { SECRET, loadFixture } from "./load-fixture";

const staging = () => summarizePlan(loadFixture("staging.plan.json"), "plans/staging.json");

describe("summarizePlan on the mixed staging fixture", () => {
  it("counts each managed change once by action, plus imports and moves on top", () => {
    expect(staging().counts).toEqual({
      create: 3, // fly_cert.app, cloudflare_dns_record.app, module.dns…acme["staging.flystack.dev"]
      update: 1, // fly_machine.web
      delete: 1, // cloudflare_dns_record.legacy
      replace: 1, // fly_volume.data, not also a create and a delete
      import: 1, // fly_app.app
      move: 1, // fly_machine.worker_old → fly_machine.worker
      "no-op": 3, // fly_app.app (import only), fly_machine.worker (move only), fly_machine.cron
    });
  });

  it("has exactly the keys of the --json contract, in order", () => {
    const summary = staging();
    expect(Object.keys(summary)).toEqual(["file", "counts", "outputs", "drift", "resources"]);
    expect(Object.keys(summary.counts)).toEqual(["create", "update", "delete", "replace", "import", "move", "no-op"]);
    for (const resource of summary.resources) {
      expect(Object.keys(resource)).toEqual(["address", "type", "actions", "replace_paths", "action_reason", "changes", "hidden_computed"]);
    }
    expect(summary.file).toBe("plans/staging.json");
  });

  it("lists managed changes but not pure no-ops or data sources", () => {
    expect(staging().resources.map((r) => r.address)).toEqual([
      "cloudflare_dns_record.app",
      "cloudflare_dns_record.legacy",
      "fly_app.app", // no-op, but imported
      "fly_cert.app",
      "fly_machine.web",
      "fly_machine.worker", // no-op, but moved
      "fly_volume.data",
      'module.dns.cloudflare_dns_record.acme["staging.flystack.dev"]',
    ]);
  });

  it("carries replace_paths and action_reason, and null when absent", () => {
    const byAddress = new Map(staging().resources.map((r) => [r.address, r]));
    expect(byAddress.get("fly_volume.data")).toEqual({
      address: "fly_volume.data",
      type: "fly_volume",
      actions: ["delete", "create"],
      replace_paths: [["region"]],
      action_reason: "replace_because_cannot_update",
      // `id` turns unknown in every replacement: computed, left out and counted.
      changes: [{ path: "region", before: '"ams"', after: '"fra"', forces_replacement: true }],
      hidden_computed: 1,
    });
    expect(byAddress.get("cloudflare_dns_record.legacy")?.action_reason).toBe("delete_because_no_resource_config");
    expect(byAddress.get("fly_machine.web")).toMatchObject({ replace_paths: null, action_reason: null });
  });

  it("lists changed outputs by name (not no-ops) and drift by address", () => {
    const summary = staging();
    expect(summary.outputs).toEqual([
      { name: "app_url", actions: ["create"] },
      { name: "volume_id", actions: ["update"] },
    ]);
    expect(summary.drift).toEqual([{ address: "fly_machine.web", actions: ["update"] }]);
  });

  it("holds no sensitive value: the changed DATABASE_URL is masked, the deleted record's content is not shown", () => {
    expect(JSON.stringify(staging())).not.toContain(SECRET);
  });
});

describe("summarizePlan edge cases", () => {
  const plan = (changes: readonly unknown[]) =>
    parsePlanJson(JSON.stringify({ format_version: "1.2", resource_changes: changes }), "p.json");
  const entry = (address: string, actions: readonly string[], extra: Record<string, unknown> = {}, mode = "managed") => ({
    address,
    mode,
    type: address.split(".")[0],
    name: "x",
    change: { actions },
    ...extra,
  });

  it("counts create_before_destroy replacements once as replace", () => {
    const summary = summarizePlan(plan([entry("fly_volume.a", ["create", "delete"])]), "p.json");
    expect(summary.counts).toMatchObject({ replace: 1, create: 0, delete: 0 });
  });

  it("does not count a previous_address equal to the address as a move", () => {
    const summary = summarizePlan(plan([entry("fly_app.a", ["no-op"], { previous_address: "fly_app.a" })]), "p.json");
    expect(summary.counts).toMatchObject({ move: 0, "no-op": 1 });
    expect(summary.resources).toEqual([]);
  });

  it("counts an import that also updates under both", () => {
    const summary = summarizePlan(plan([entry("fly_app.a", ["update"], { change: { actions: ["update"], importing: { id: "a" } } })]), "p.json");
    expect(summary.counts).toMatchObject({ update: 1, import: 1 });
  });

  it("leaves data sources out of counts, resources and drift", () => {
    const summary = summarizePlan(plan([entry("data.fly_app.a", ["read"], {}, "data")]), "p.json");
    expect(Object.values(summary.counts).every((n) => n === 0)).toBe(true);
    expect(summary.resources).toEqual([]);
  });

  it("lists a forget without counting it as a delete", () => {
    const summary = summarizePlan(plan([entry("fly_volume.a", ["forget"])]), "p.json");
    expect(summary.counts.delete).toBe(0);
    expect(summary.resources.map((r) => r.actions)).toEqual([["forget"]]);
  });
});

describe("planFacts", () => {
  it("lists moves and imports, and says whether planning errored", () => {
    const facts = planFacts(loadFixture("staging.plan.json"));
    expect(facts).toEqual({
      errored: false,
      terraform_version: "1.9.8",
      format_version: "1.2",
      moved: [{ previous_address: "fly_machine.worker_old", address: "fly_machine.worker", type: "fly_machine", actions: ["no-op"] }],
      imported: [{ address: "fly_app.app", type: "fly_app", actions: ["no-op"] }],
    });
    expect(planFacts(loadFixture("errored.plan.json")).errored).toBe(true);
  });
});

describe("isStatefulType", () => {
  it.each(["fly_volume", "fly_app", "fly_cert", "fly_secret", "fly_ip", "cloudflare_dns_record"])("%s is stateful", (type) => {
    expect(isStatefulType(type)).toBe(true);
  });

  it.each(["fly_machine", "cloudflare_zone", "constructor"])("%s is not", (type) => {
    expect(isStatefulType(type)).toBe(false);
  });
});
