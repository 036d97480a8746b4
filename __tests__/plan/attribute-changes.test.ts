import { attributeChanges, SHOWN } from "../../src/features/plan/attribute-changes";
import { parsePlanJson } from "../../src/features/plan/plan-json";
import { summarizePlan } from "../../src/features/plan/summarize";
import { planFacts } from "../../src/features/plan/facts";
import { renderPlanMarkdown } from "../../src/features/plan/markdown";
import { changeRows } from "../../src/features/plan/change-rows";
import { fixtureText } from "./load-fixture";
import { MARKER, plantMarkers } from "./markers";
import { expectComment } from "./comment-snapshot";

const sensitive = () => parsePlanJson(fixtureText("sensitive.plan.json"), "sensitive.plan.json");
const change = (address: string) => {
  const plan = sensitive();
  const found = plan.resource_changes.find((c) => c.address === address);
  if (!found) throw new Error(`no ${address}`);
  return attributeChanges(found, plan);
};

describe("attributeChanges", () => {
  it("shows nested blocks by path, env keys, the image with its digest; masks what Terraform marks sensitive", () => {
    expect(change("fly_machine.api_web_iad_1")).toEqual({
      // In the resource's attribute order, then by path.
      changes: [
        { path: "image", before: `registry.fly.io/acme-api:1.4.0 @ sha256:${"a".repeat(12)}…`, after: "registry.fly.io/acme-api:1.5.0 @ digest known after apply" },
        { path: "env.API_KEY", before: SHOWN.sensitive, after: SHOWN.sensitive },
        { path: "env.LOG_LEVEL", before: '"info"', after: '"debug"' },
        { path: "metadata", before: SHOWN.sensitive, after: SHOWN.sensitive },
        { path: "service[0].check[0].interval", before: '"10s"', after: '"15s"' },
        { path: "container[0].secret[0].value", before: SHOWN.sensitive, after: SHOWN.sensitive },
      ],
      // instance_id and state: computed, not in the configuration, unknown after apply.
      hidden_computed: 2,
    });
  });

  it("reads a write-only value's version change as a rotation, and never the value", () => {
    expect(change("fly_secret.api_DATABASE_URL")).toEqual({
      changes: [{ path: "value", before: "3", after: "4", rotated: true }],
      hidden_computed: 2, // digest, version
    });
  });

  it("shows a configured attribute that turns unknown, and an added or removed key as (none)", () => {
    const plan = parsePlanJson(
      JSON.stringify({
        format_version: "1.2",
        resource_changes: [
          {
            address: "fly_machine.m",
            mode: "managed",
            type: "fly_machine",
            name: "m",
            change: { actions: ["update"], before: { region: "iad", env: { OLD: "1" } }, after: { region: null, env: { NEW: "2" } }, after_unknown: { region: true } },
          },
        ],
        configuration: { root_module: { resources: [{ address: "fly_machine.m", expressions: { region: {}, env: {} } }] } },
      }),
      "p.json",
    );
    expect(attributeChanges(plan.resource_changes[0], plan).changes).toEqual([
      { path: "region", before: '"iad"', after: SHOWN.unknown },
      { path: "env.NEW", before: SHOWN.none, after: '"2"' },
      { path: "env.OLD", before: '"1"', after: SHOWN.none },
    ]);
  });
});

describe("changeRows", () => {
  const resource = (address: string, changes = [{ path: "image", before: "a", after: "b" }]) => ({
    address,
    type: "fly_machine",
    actions: ["update"],
    replace_paths: null,
    action_reason: null,
    changes,
    hidden_computed: 3,
  });
  const group = { name: "api/web", strategy: "rolling" as const, machines: ["fly_machine.w_2", "fly_machine.w_1", "fly_machine.w_3"] };

  it("puts identical changes of one group in one row, in the group's order", () => {
    expect(changeRows([resource("fly_machine.w_1"), resource("fly_machine.w_2"), resource("fly_machine.w_3")], [group])).toEqual([
      expect.objectContaining({ addresses: ["fly_machine.w_2", "fly_machine.w_1", "fly_machine.w_3"], group }),
    ]);
  });

  it("keeps different changes apart, and resources of no known group in plan order", () => {
    const rows = changeRows([resource("fly_machine.a"), resource("fly_machine.b", [{ path: "image", before: "a", after: "c" }]), resource("fly_machine.c")]);
    expect(rows.map((r) => r.addresses)).toEqual([["fly_machine.a", "fly_machine.c"], ["fly_machine.b"]]);
    expect(rows.every((r) => r.group === undefined)).toBe(true);
  });
});

describe("no sensitive or write-only value reaches the comment or summary.json", () => {
  it.each(["sensitive.plan.json", "staging.plan.json", "errored.plan.json", "no-changes.plan.json"])("%s, with a marker planted in each such place", (name) => {
    const { plan: planted, places } = plantMarkers(JSON.parse(fixtureText(name)));
    if (name === "sensitive.plan.json") {
      expect(places).toEqual(expect.arrayContaining([
        "resource_changes[0].before.value_wo",
        "resource_changes[0].after.value_wo",
        "resource_changes[1].after.env.API_KEY",
        "resource_changes[1].before.metadata",
        "resource_changes[1].after.container[0].secret[0].value",
        "output_changes.database_url.after",
        "variables.api_DATABASE_URL.value",
      ]));
    }
    const plan = parsePlanJson(JSON.stringify(planted), name);
    const summary = summarizePlan(plan, name);
    const markdown = renderPlanMarkdown([{ stack: "s", summary, facts: planFacts(plan), planText: "  ~ env = (sensitive value)\n" }]);
    expect(markdown).not.toContain(MARKER);
    expect(JSON.stringify(summary)).not.toContain(MARKER);
  });

  it("the check itself finds a marker that is printed", () => {
    const { plan: planted } = plantMarkers(JSON.parse(fixtureText("sensitive.plan.json")));
    // The same plan with its sensitivity marks dropped: the planted values are now plain, and show.
    const unmarked = JSON.parse(JSON.stringify(planted)) as { resource_changes: { change: Record<string, unknown> }[] };
    for (const c of unmarked.resource_changes) {
      delete c.change.before_sensitive;
      delete c.change.after_sensitive;
    }
    const plan = parsePlanJson(JSON.stringify(unmarked), "unmarked.json");
    expect(renderPlanMarkdown([{ stack: "s", summary: summarizePlan(plan, "u"), facts: planFacts(plan) }])).toContain(MARKER);
  });
});

describe("the comment for a plan of every kind of change (kept in comments/)", () => {
  it("sensitive.plan.json", () => {
    const plan = sensitive();
    const summary = summarizePlan(plan, "review.plan.json");
    expectComment("unit-sensitive", renderPlanMarkdown([{ stack: "production", summary, facts: planFacts(plan) }], { marker: "<!-- flystack-plan:production -->" }));
  });
});
