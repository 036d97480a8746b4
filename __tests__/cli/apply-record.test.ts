import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { appendApplyRun, renderApplyRun } from "../../cli/apply-record";
import { stateChanges, stateResources } from "../../src/features/terraform/state-changes";

/** `terraform show -json` of a state holding these resources (address → values). */
const state = (resources: Record<string, Record<string, unknown>>, child: Record<string, Record<string, unknown>> = {}) =>
  JSON.stringify({
    format_version: "1.0",
    values: {
      root_module: {
        resources: Object.entries(resources).map(([address, values]) => ({ address, mode: "managed", type: address.split(".")[0], name: address.split(".")[1], values })),
        child_modules: [{ address: "module.dns", resources: Object.entries(child).map(([address, values]) => ({ address, mode: "managed", values })) }],
      },
    },
  });

describe("what an apply did, from the state before and after", () => {
  it("created, changed, replaced (a new id at the address) and destroyed, in modules too", () => {
    const before = stateResources(state({ "fly_app.a": { id: "a", name: "x" }, "fly_machine.m": { id: "m1" }, "fly_ip.old": { id: "ip1" } }));
    const after = stateResources(
      state({ "fly_app.a": { id: "a", name: "y" }, "fly_machine.m": { id: "m2" }, "fly_volume.v": { id: "v1" } }, { "module.dns.cloudflare_dns_record.r": { id: "r" } }),
    );
    expect(stateChanges(before, after)).toEqual({
      created: ["fly_volume.v", "module.dns.cloudflare_dns_record.r"],
      changed: ["fly_app.a"],
      replaced: ["fly_machine.m"],
      destroyed: ["fly_ip.old"],
    });
  });

  it("an empty state (no values, or no output) has no resources", () => {
    expect(stateResources("").size).toBe(0);
    expect(stateResources(JSON.stringify({ format_version: "1.0" })).size).toBe(0);
  });
});

describe("applied.md", () => {
  const at = new Date("2026-12-07T03:00:00Z");
  const none = { created: [], changed: [], replaced: [], destroyed: [] };

  it("says what a failed stack applied, and when the state could not be read, that it is not known", () => {
    expect(
      renderApplyRun({
        at,
        stacks: [
          { stack: "one", status: "failed", changes: { ...none, created: ["terraform_data.a"] } },
          { stack: "two", status: "interrupted", stateUnreadable: "terraform show -json exited 1" },
          { stack: "three", status: "not attempted" },
        ],
        failure: "one: terraform apply failed",
      }),
    ).toBe(
      [
        "## flystack apply, 2026-12-07 03:00:00 UTC",
        "",
        "- **one**: failed, **part of it was applied**: the state shows 1 created (`terraform_data.a`).",
        "- **two**: interrupted; what it applied is not known: the state could not be read (terraform show -json exited 1). Run terraform show in its folder.",
        "",
        "**Failed**",
        "",
        "```",
        "one: terraform apply failed",
        "```",
        "",
        "Not attempted after the failure: three.",
      ].join("\n"),
    );
  });

  it("says 'Nothing was applied.' only when the state shows no change anywhere", () => {
    expect(renderApplyRun({ at, stacks: [{ stack: "one", status: "stale", changes: none }], failure: "stale" })).toContain("Nothing was applied.");
    expect(renderApplyRun({ at, stacks: [{ stack: "one", status: "failed", changes: { ...none, destroyed: ["x.y"] } }], failure: "f" })).not.toContain("Nothing was applied.");
  });

  it("appends: every earlier run stays", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-record-"));
    appendApplyRun(dir, { at, stacks: [{ stack: "one", status: "applied", headline: "Plan: 1 to add.", changes: { ...none, created: ["a.b"] } }] });
    appendApplyRun(dir, { at, stacks: [], refused: ["one: the plan is stale"] });
    const text = fs.readFileSync(path.join(dir, "applied.md"), "utf8");
    expect(text).toBe(
      "## flystack apply, 2026-12-07 03:00:00 UTC\n\n- **one**: Plan: 1 to add. Applied; the state shows 1 created (`a.b`).\n\n" +
        "## flystack apply, 2026-12-07 03:00:00 UTC\n\nRefused: nothing was applied.\n\n- one: the plan is stale\n",
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
