import { PlanJsonError, parsePlanJson } from "../../src/features/plan/plan-json";
import { fixtureText, loadFixture } from "./load-fixture";

/** The error `parsePlanJson` throws for `text`, so tests can look at its message and fields. */
function parseError(text: string, file = "plans/x.json"): PlanJsonError {
  try {
    parsePlanJson(text, file);
  } catch (error) {
    if (error instanceof PlanJsonError) return error;
    throw error;
  }
  throw new Error("expected parsePlanJson to throw");
}

const minimal = (extra: Record<string, unknown>): string => JSON.stringify({ format_version: "1.2", ...extra });

const change = (overrides: Record<string, unknown> = {}, changeOverrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  address: "fly_app.app",
  mode: "managed",
  type: "fly_app",
  name: "app",
  change: { actions: ["create"], before: null, after: {}, ...changeOverrides },
  ...overrides,
});

describe("parsePlanJson on the project's fixtures", () => {
  it("reads the mixed staging plan: modules, moves, imports, drift, unknown outputs", () => {
    const plan = loadFixture("staging.plan.json");
    expect(plan.format_version).toBe("1.2");
    expect(plan.terraform_version).toBe("1.9.8");
    expect(plan.errored).toBe(false);
    expect(plan.resource_changes).toHaveLength(10);
    expect(plan.resource_drift.map((c) => c.address)).toEqual(["fly_machine.web"]);
    expect(Object.keys(plan.output_changes)).toEqual(["app_url", "database_url", "volume_id"]);
    // An unknown output has no "after" at all; it must not be invented.
    expect(plan.output_changes["app_url"]).not.toHaveProperty("after");
    expect(plan.output_changes["app_url"]?.after_unknown).toBe(true);

    const byAddress = new Map(plan.resource_changes.map((c) => [c.address, c]));
    const volume = byAddress.get("fly_volume.data");
    expect(volume?.change.actions).toEqual(["delete", "create"]);
    expect(volume?.change.replace_paths).toEqual([["region"]]);
    expect(volume?.action_reason).toBe("replace_because_cannot_update");
    expect(byAddress.get("fly_machine.worker")?.previous_address).toBe("fly_machine.worker_old");
    expect(byAddress.get("fly_app.app")?.change.importing).toEqual({ id: "flystack-staging" });
    const moduleRecord = byAddress.get('module.dns.cloudflare_dns_record.acme["staging.flystack.dev"]');
    expect(moduleRecord?.module_address).toBe("module.dns");
    expect(moduleRecord?.index).toBe("staging.flystack.dev");
    expect(byAddress.get("data.cloudflare_zone.main")?.mode).toBe("data");
  });

  it("reads an errored plan", () => {
    const plan = loadFixture("errored.plan.json");
    expect(plan.errored).toBe(true);
    expect(plan.applyable).toBe(false);
    expect(plan.complete).toBe(false);
    expect(plan.resource_changes).toHaveLength(1);
  });

  it("gives empty sections when Terraform left them out", () => {
    const plan = loadFixture("no-changes.plan.json");
    expect(plan.resource_changes).toEqual([]);
    expect(plan.resource_drift).toEqual([]);
    expect(plan.output_changes).toEqual({});
  });

  it("does not add keys the JSON did not have", () => {
    const plan = parsePlanJson(minimal({ resource_changes: [change()] }), "p.json");
    expect(Object.keys(plan.resource_changes[0] ?? {})).toEqual(["address", "mode", "type", "name", "change"]);
    expect(plan).not.toHaveProperty("terraform_version");
    // Plans from Terraform before 1.4 have no "errored"; they were only written when planning worked.
    expect(plan.errored).toBe(false);
  });

  it("accepts what a later 1.x may add: unknown properties, unknown actions, numeric index, null importing", () => {
    const plan = parsePlanJson(
      minimal({
        format_version: "1.9",
        something_new: { whatever: true },
        resource_changes: [
          change({ index: 0, future_field: 1 }, { actions: ["create", "forget"], importing: null }),
          change({ address: "fly_app.other" }, { actions: ["teleport"] }),
        ],
      }),
      "p.json",
    );
    expect(plan.resource_changes[0]?.index).toBe(0);
    expect(plan.resource_changes[0]?.change).not.toHaveProperty("importing");
    expect(plan.resource_changes[1]?.change.actions).toEqual(["teleport"]);
  });

  it("keeps an output named __proto__ as plain data", () => {
    const plan = parsePlanJson('{"format_version":"1.0","output_changes":{"__proto__":{"actions":["create"]}}}', "p.json");
    expect(Object.keys(plan.output_changes)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(plan.output_changes)).toBe(Object.prototype);
  });

  it("strips a byte order mark", () => {
    expect(parsePlanJson(`\uFEFF${fixtureText("no-changes.plan.json")}`, "p.json").format_version).toBe("1.2");
  });
});

describe("parsePlanJson errors name the file and what is wrong", () => {
  it.each([
    ["resource_changes is not an array", minimal({ resource_changes: {} }), 'plans/x.json: not a Terraform plan: "resource_changes" must be an array, found an object'],
    ["resource_drift is not an array", minimal({ resource_drift: "x" }), '"resource_drift" must be an array, found a string'],
    ["output_changes is an array", minimal({ output_changes: [] }), '"output_changes" must be an object, found an array'],
    ["top level is an array", "[]", '"(top level)" must be an object, found an array'],
    ["format_version is missing", "{}", '"format_version" is missing'],
    ["format_version is a number", '{"format_version": 1}', '"format_version" must be a string, found a number'],
    ["errored is a string", minimal({ errored: "yes" }), '"errored" must be a boolean, found a string'],
    ["an entry is not an object", minimal({ resource_changes: [null] }), '"resource_changes[0]" must be an object, found null'],
    ["an address is missing", minimal({ resource_changes: [change({ address: undefined })] }), '"resource_changes[0].address" must be a string, found nothing'],
    ["type is a number", minimal({ resource_changes: [change({ type: 3 })] }), '"resource_changes[0].type" must be a string, found a number (in fly_app.app)'],
    ["change is missing", minimal({ resource_changes: [change({ change: undefined })] }), '"resource_changes[0].change" must be an object, found nothing (in fly_app.app)'],
    ["actions are empty", minimal({ resource_changes: [change({}, { actions: [] })] }), '"resource_changes[0].change.actions" must be a non-empty array of strings'],
    ["actions hold a number", minimal({ resource_changes: [change({}, { actions: ["create", 1] })] }), '"resource_changes[0].change.actions" must be a non-empty array of strings'],
    ["replace_paths is flat", minimal({ resource_changes: [change({}, { replace_paths: ["region"] })] }), '"resource_changes[0].change.replace_paths" must be an array of attribute paths'],
    ["importing is a string", minimal({ resource_changes: [change({}, { importing: "x" })] }), '"resource_changes[0].change.importing" must be an object, found a string'],
    ["index is an object", minimal({ resource_changes: [change({ index: {} })] }), '"resource_changes[0].index" must be a number or a string'],
    ["previous_address is a number", minimal({ resource_changes: [change({ previous_address: 1 })] }), '"resource_changes[0].previous_address" must be a string'],
    ["an output has no actions", minimal({ output_changes: { url: {} } }), '"output_changes.url.actions" must be a non-empty array of strings'],
  ])("%s", (_name, text, expected) => {
    const error = parseError(text);
    expect(error.message).toContain(expected);
    expect(error.message.startsWith("plans/x.json: ")).toBe(true);
    expect(error.file).toBe("plans/x.json");
    expect(error.name).toBe("PlanJsonError");
  });

  it("says when the text is not JSON at all", () => {
    expect(parseError("{ not json").message).toMatch(/^plans\/x\.json: not valid JSON \(/);
  });

  it("says when the file is empty", () => {
    expect(parseError("  \n").message).toBe("plans/x.json: empty file; expected the output of `terraform show -json <planfile>`");
  });

  it("says when it was given the binary plan file", () => {
    expect(parseError("PK\u0003\u0004binary").message).toContain("binary plan file");
  });

  it("says when it was given state instead of a plan", () => {
    expect(parseError('{"format_version":"1.0","values":{"root_module":{}}}').message).toContain("this is Terraform state, not a plan");
  });

  it("rejects another major format version, as the format's documentation asks", () => {
    expect(parseError('{"format_version":"2.0"}').message).toContain('unsupported plan format_version "2.0"');
    expect(parseError('{"format_version":"0.2"}').message).toContain('unsupported plan format_version "0.2"');
  });
});
