import { planFacts } from "../../src/features/plan/facts";
import { DEFAULT_MAX_LENGTH, GITHUB_COMMENT_LIMIT, planHeadline, renderPlanMarkdown, type StackPlan } from "../../src/features/plan/markdown";
import { parsePlanJson } from "../../src/features/plan/plan-json";
import { summarizePlan, type PlanSummary } from "../../src/features/plan/summarize";
import { SECRET, loadFixture } from "./load-fixture";

function stackFromFixture(stack: string, fixture: string): StackPlan {
  const plan = loadFixture(fixture);
  return { stack, summary: summarizePlan(plan, `plans/${stack}.json`), facts: planFacts(plan) };
}

/** A plan with the given resource changes, built as Terraform would write it. */
function stackFromChanges(stack: string, changes: readonly { address: string; actions: readonly string[]; extra?: object }[]): StackPlan {
  const json = JSON.stringify({
    format_version: "1.2",
    terraform_version: "1.9.8",
    resource_changes: changes.map(({ address, actions, extra }) => ({
      address,
      mode: "managed",
      type: address.replace(/^module\.[^.]+\./, "").split(".")[0],
      name: "x",
      change: { actions, before: { secret: SECRET }, after: { secret: SECRET }, ...extra },
    })),
  });
  const plan = parsePlanJson(json, `plans/${stack}.json`);
  return { stack, summary: summarizePlan(plan, `plans/${stack}.json`), facts: planFacts(plan) };
}

const creates = (count: number, prefix = "fly_machine.web"): { address: string; actions: readonly string[] }[] =>
  Array.from({ length: count }, (_, i) => ({ address: `${prefix}["machine-${String(i).padStart(5, "0")}"]`, actions: ["create"] }));

const staging = (): StackPlan => stackFromFixture("staging", "staging.plan.json");

describe("planHeadline", () => {
  const summary = (counts: Partial<PlanSummary["counts"]>, resources = 1): PlanSummary => ({
    file: "p.json",
    counts: { create: 0, update: 0, delete: 0, replace: 0, import: 0, move: 0, "no-op": 0, ...counts },
    outputs: [],
    drift: [],
    resources: Array.from({ length: resources }, () => ({ address: "a.b", type: "a", actions: ["create"], replace_paths: null, action_reason: null, changes: [], hidden_computed: 0 })),
  });

  it("reads like Terraform's, with replace on its own", () => {
    expect(planHeadline(summary({ create: 2, update: 1, replace: 1 }))).toBe("Plan: 2 to add, 1 to change, 1 to replace, 0 to destroy.");
  });

  it("appends import and move only when there are some", () => {
    expect(planHeadline(summary({ import: 1 }))).toBe("Plan: 0 to add, 0 to change, 0 to replace, 0 to destroy, 1 to import.");
    expect(planHeadline(summary({ move: 2 }))).toBe("Plan: 0 to add, 0 to change, 0 to replace, 0 to destroy, 2 to move.");
    expect(planHeadline(stackFromFixture("staging", "staging.plan.json").summary)).toBe(
      "Plan: 3 to add, 1 to change, 1 to replace, 1 to destroy, 1 to import, 1 to move.",
    );
  });

  it("says No changes. when nothing changes, no-ops included", () => {
    expect(planHeadline(summary({ "no-op": 4 }, 0))).toBe("No changes.");
    expect(planHeadline(stackFromFixture("preview", "no-changes.plan.json").summary)).toBe("No changes.");
  });

  it("appends forget, which has no key in the counts", () => {
    expect(planHeadline(stackFromChanges("s", [{ address: "fly_volume.old", actions: ["forget"] }]).summary)).toBe(
      "Plan: 0 to add, 0 to change, 0 to replace, 0 to destroy, 1 to forget.",
    );
  });
});

describe("renderPlanMarkdown: the caution block", () => {
  it("comes first, right after the marker line", () => {
    const markdown = renderPlanMarkdown([staging()], { marker: "<!-- flystack-plan:staging -->" });
    const lines = markdown.split("\n");
    expect(lines[0]).toBe("<!-- flystack-plan:staging -->");
    expect(lines[1]).toBe("");
    expect(lines[2]).toBe("> [!CAUTION]");
  });

  it("is the very first line without a marker", () => {
    expect(renderPlanMarkdown([staging()]).startsWith("> [!CAUTION]\n")).toBe(true);
  });

  it("lists every delete or replace of a stateful type in every stack, and says data loss or downtime", () => {
    const other = stackFromChanges("production", [
      { address: "fly_app.app", actions: ["delete"] },
      { address: "fly_cert.app", actions: ["create", "delete"] },
      { address: "module.dns.cloudflare_dns_record.apex", actions: ["delete", "create"] },
      { address: "fly_machine.web", actions: ["delete"] }, // not stateful
      { address: "fly_volume.fresh", actions: ["create"] }, // stateful, but nothing goes away
      { address: "fly_volume.kept", actions: ["forget"] }, // leaves the state, is not destroyed
    ]);
    const markdown = renderPlanMarkdown([staging(), other]);
    const caution = markdown.slice(0, markdown.indexOf("\n\n## "));
    expect(caution).toMatch(/data loss or downtime/i);
    const items = caution.split("\n").filter((line) => line.startsWith("> - "));
    expect(items).toEqual([
      "> - `staging`: `cloudflare_dns_record.legacy` (`cloudflare_dns_record`) will be **destroyed**: removed from the configuration",
      "> - `staging`: `fly_volume.data` (`fly_volume`) will be **replaced** because of `region`: cannot be updated in place",
      "> - `production`: `fly_app.app` (`fly_app`) will be **destroyed**",
      "> - `production`: `fly_cert.app` (`fly_cert`) will be **replaced**",
      "> - `production`: `module.dns.cloudflare_dns_record.apex` (`cloudflare_dns_record`) will be **replaced**",
    ]);
    expect(caution).toContain("5 stateful resources will be deleted or replaced");
  });

  it("is left out when nothing stateful goes away", () => {
    const markdown = renderPlanMarkdown([stackFromChanges("s", [{ address: "fly_machine.web", actions: ["delete"] }])]);
    expect(markdown).not.toContain("[!CAUTION]");
    expect(markdown.startsWith("## Terraform plan\n")).toBe(true);
  });
});

describe("renderPlanMarkdown: per stack", () => {
  const markdown = (): string => renderPlanMarkdown([staging(), stackFromFixture("preview", "no-changes.plan.json")]);

  it("gives each stack its heading and headline", () => {
    expect(markdown()).toContain("### `staging`\n\nPlan: 3 to add, 1 to change, 1 to replace, 1 to destroy, 1 to import, 1 to move.\n");
    expect(markdown()).toContain("### `preview`\n\nNo changes.\n");
  });

  it("has one table per action, with paths and reasons for replacements", () => {
    const text = markdown();
    expect(text).toContain(
      "#### Replace (1)\n\n| Resources | Type | Replaced because of | Reason | What changes |\n| --- | --- | --- | --- | --- |\n" +
        '| `fly_volume.data` | `fly_volume` (stateful) | `region` | cannot be updated in place | `region`: `"ams"` → `"fra"` **(forces replacement)**<br>_1 computed attribute known after apply not shown_ |',
    );
    expect(text).toContain(
      "#### Update (1)\n\n| Resources | Type | What changes |\n| --- | --- | --- |\n" +
        "| `fly_machine.web` | `fly_machine` | `image`: `registry.fly.io/flystack-staging:deployment-01JBX2` → `registry.fly.io/flystack-staging:deployment-01JC9K @ digest known after apply`<br>`guest`: `shared-cpu-1x, 512 MB` → `shared-cpu-1x, 256 MB` |",
    );
    expect(text).toContain("#### Create (3)");
    expect(text).toContain('| `module.dns.cloudflare_dns_record.acme["staging.flystack.dev"]` | `cloudflare_dns_record` |');
    expect(text).toContain("| `cloudflare_dns_record.legacy` | `cloudflare_dns_record` (stateful) | removed from the configuration |");
    expect(text).toContain("#### Import (1)\n\n| Resources | Type | Actions | What changes |\n| --- | --- | --- | --- |\n| `fly_app.app` | `fly_app` | no-op | imported as it is |");
    expect(text).toContain("#### Move (1)\n\n| From | To | Type |\n| --- | --- | --- |\n| `fly_machine.worker_old` | `fly_machine.worker` | `fly_machine` |");
    expect(text).toContain("#### Output changes (2)");
    expect(text).toContain("#### Changed outside Terraform (1)\n\n| Address | Actions |\n| --- | --- |\n| `fly_machine.web` | update |");
    // Data sources are not changes.
    expect(text).not.toContain("cloudflare_zone");
  });

  it("prints changed values, but no sensitive one and none of a create or a delete", () => {
    const text = renderPlanMarkdown([staging(), stackFromFixture("production", "errored.plan.json")]);
    expect(text).not.toContain(SECRET);
    // A created record's target, a deleted volume's id: not changes a reviewer approves value by value.
    for (const value of ["vol_4d8e2r1j6x9p3q7v", "flystack-staging.fly.dev"]) expect(text).not.toContain(value);
    expect(text).toContain("deployment-01JC9K");
  });

  it("warns that an errored plan is incomplete", () => {
    const text = renderPlanMarkdown([stackFromFixture("production", "errored.plan.json")]);
    expect(text).toContain("### `production`\n\n> [!WARNING]\n> Terraform stopped with errors while planning this stack: this plan is incomplete and cannot be applied.");
  });

  it("lists no-op moves and imports together when it has no facts to tell them apart", () => {
    const { stack, summary } = staging();
    const text = renderPlanMarkdown([{ stack, summary }]);
    expect(text).toContain("#### Import or move only (2)\n\n| Address | Type |\n| --- | --- |\n| `fly_app.app` | `fly_app` |\n| `fly_machine.worker` | `fly_machine` |");
    expect(text).not.toContain("#### Move");
  });

  it("shows forgotten resources in their own table", () => {
    const text = renderPlanMarkdown([stackFromChanges("s", [{ address: "fly_volume.kept", actions: ["forget"] }])]);
    expect(text).toContain("#### Forget (removed from state, not destroyed) (1)\n\n| Address | Type |\n| --- | --- |\n| `fly_volume.kept` | `fly_volume` |");
  });
});

describe("renderPlanMarkdown: escaping", () => {
  it("escapes | so a for_each key cannot add cells, and fences backticks", () => {
    const text = renderPlanMarkdown([stackFromChanges("s", [{ address: 'fly_machine.web["a|b`c"]', actions: ["update"] }])]);
    const row = text.split("\n").find((line) => line.includes("fly_machine.web["));
    expect(row).toBe('| ``fly_machine.web["a\\|b`c"]`` | `fly_machine` | — |');
    // Exactly four unescaped pipes: three cells.
    expect(row?.match(/(?<!\\)\|/g)).toHaveLength(4);
  });

  it("keeps a key that looks like HTML or a mention inside a code span", () => {
    const text = renderPlanMarkdown([stackFromChanges("s", [{ address: 'fly_machine.web["<img src=x>@octocat"]', actions: ["update"] }])]);
    expect(text).toContain('| `fly_machine.web["<img src=x>@octocat"]` |');
  });

  it("shows a failure message verbatim in a fence longer than any backticks in it", () => {
    const message = "Error: Invalid value\n```\n|not|a|table|";
    const text = renderPlanMarkdown([], { failed: [{ stack: "eu", message }] });
    expect(text).toContain("### 1 stack failed to plan");
    expect(text).toContain(`**\`eu\`** failed:\n\n\`\`\`\`text\n${message}\n\`\`\`\``);
  });
});

describe("renderPlanMarkdown: folding and the length limit", () => {
  it("folds a table of more than 20 rows into <details>, and not one of 20", () => {
    const folded = renderPlanMarkdown([stackFromChanges("s", creates(21))]);
    expect(folded).toContain("<details>\n<summary>Create (21)</summary>\n\n| Address | Type |");
    expect(folded).toContain("|\n\n</details>");
    const open = renderPlanMarkdown([stackFromChanges("s", creates(20))]);
    expect(open).not.toContain("<details>");
    expect(open).toContain("#### Create (20)");
  });

  it("leaves rows out to stay under the limit, says how many, and points to the artifacts", () => {
    const stacks = [stackFromChanges("staging", creates(3000)), stackFromChanges("production", creates(3000))];
    const text = renderPlanMarkdown(stacks);
    expect(text.length).toBeLessThanOrEqual(DEFAULT_MAX_LENGTH);
    expect(text.length).toBeGreaterThan(DEFAULT_MAX_LENGTH - 500); // it uses the room it has
    const shown = text.split("\n").filter((line) => line.startsWith("| `fly_machine.web[")).length;
    const omitted = 6000 - shown;
    expect(shown).toBeGreaterThan(0);
    expect(text).toContain(`> [!NOTE]\n> ${omitted} table rows were left out to keep this comment under GitHub's size limit; for the whole list run bin/flystack plan locally, or flystack summarize on the plan JSON.`);
    // Each cut table says so too, and the counts in the titles stay the full counts.
    expect(text).toContain("<summary>Create (3000)</summary>");
    expect(text).toMatch(/_\d+ more rows left out here; for the whole list run bin\/flystack plan locally, or flystack summarize on the plan JSON\._/);
  });

  it("keeps warnings and destructive rows before creates when it must choose", () => {
    const stacks = [
      stackFromChanges("staging", [...creates(3000), { address: "fly_volume.data", actions: ["delete", "create"] }, { address: "fly_machine.old", actions: ["delete"] }]),
    ];
    const text = renderPlanMarkdown(stacks, { maxLength: 5000 });
    expect(text.length).toBeLessThanOrEqual(5000);
    expect(text).toContain("> - `staging`: `fly_volume.data` (`fly_volume`) will be **replaced**");
    expect(text).toContain("| `fly_volume.data` | `fly_volume` (stateful) | — | — |");
    expect(text).toContain("| `fly_machine.old` | `fly_machine` | — |");
  });

  it("does not truncate what fits", () => {
    expect(renderPlanMarkdown([staging()])).not.toContain("left out");
  });

  it("cuts the text itself as a last resort, still under the limit", () => {
    const failed = Array.from({ length: 100 }, (_, i) => ({ stack: `stack-${i}`, message: "x".repeat(1500) }));
    const text = renderPlanMarkdown([], { failed, maxLength: 5000, marker: "<!-- m -->" });
    expect(text.length).toBeLessThanOrEqual(5000);
    expect(text.startsWith("<!-- m -->\n")).toBe(true);
    expect(text).toContain("This comment was cut short to stay under GitHub's size limit; for the whole list run bin/flystack plan locally, or flystack summarize on the plan JSON.");
  });

  it("has a default under GitHub's own limit", () => {
    expect(DEFAULT_MAX_LENGTH).toBeLessThan(GITHUB_COMMENT_LIMIT);
  });
});

describe("renderPlanMarkdown: options", () => {
  it("rejects a limit too small to hold a comment", () => {
    expect(() => renderPlanMarkdown([], { maxLength: 10 })).toThrow(RangeError);
  });

  it("rejects a marker of more than one line", () => {
    expect(() => renderPlanMarkdown([], { marker: "<!-- a -->\n# b" })).toThrow("marker must be a single non-empty line");
  });

  it("says when there is nothing to show", () => {
    expect(renderPlanMarkdown([])).toBe("## Terraform plan\n\nNo stacks were planned.\n");
  });
});

describe("a plan that adopts Fly resources", () => {
  const importing = { extra: { importing: { id: "shop/3d8d9e1b" } } };
  test("warns that each secret it creates will overwrite the value on Fly", () => {
    const markdown = renderPlanMarkdown([stackFromChanges("adopt", [{ address: "fly_machine.shop_app_iad_1", actions: ["no-op"], ...importing }, { address: "fly_secret.shop_DATABASE_URL", actions: ["create"] }])]);
    expect(markdown).toContain("> [!WARNING]\n> **Secrets are not imported.**");
    expect(markdown).toContain("> - `adopt`: `fly_secret.shop_DATABASE_URL`");
  });
  test("says nothing of secrets when the plan imports nothing", () => {
    expect(renderPlanMarkdown([stackFromChanges("new", [{ address: "fly_secret.shop_DATABASE_URL", actions: ["create"] }])])).not.toContain("Secrets are not imported");
  });
});

describe("renderPlanMarkdown: the whole plan in a fold", () => {
  const planText = Array.from({ length: 3_000 }, (_, i) => `  # fly_machine.web_${i} will be updated in-place`).join("\n");

  it("shows the whole plan when it fits", () => {
    const text = renderPlanMarkdown([{ ...staging(), planText: "  ~ image = \"a\" -> \"b\"\n" }]);
    expect(text).toContain("<details>\n<summary>Whole plan of `staging` (<code>terraform show</code>)</summary>\n\n```text\n  ~ image = \"a\" -> \"b\"\n```\n\n</details>");
  });

  it("trims the fold first, and says so, when the comment would pass the limit; every table row stays", () => {
    const full = renderPlanMarkdown([staging()]);
    const text = renderPlanMarkdown([{ ...staging(), planText }], { maxLength: full.length + 5_000 });
    expect(text.length).toBeLessThanOrEqual(full.length + 5_000);
    expect(text).toMatch(/Trimmed to keep this comment under GitHub's size limit: the first \d+ of 3000 lines; for all of it run `terraform show` on the plan file/);
    expect(text).not.toContain("left out to keep this comment"); // no table row was dropped
    expect(text).toContain("  # fly_machine.web_0 will be updated in-place");
    expect(text).not.toContain("  # fly_machine.web_2999 will be updated in-place");
  });

  it("leaves the fold out, saying so, when rows alone fill the comment", () => {
    const text = renderPlanMarkdown([{ ...staging(), planText }], { maxLength: renderPlanMarkdown([staging()]).length + 100 });
    expect(text).toContain("The whole plan of `staging` was left out to keep this comment under GitHub's size limit");
    expect(text).not.toContain("fly_machine.web_0 will be");
  });

  it("stays under GitHub's limit with a plan of any size", () => {
    const huge = Array.from({ length: 40_000 }, (_, i) => `  + resource "fly_machine" "m${i}" {}`).join("\n");
    const text = renderPlanMarkdown([{ ...staging(), planText: huge }]);
    expect(text.length).toBeLessThanOrEqual(DEFAULT_MAX_LENGTH);
    expect(text).toContain("Trimmed to keep this comment under GitHub's size limit");
  });
});
