/**
 * Conformance: the parser, summarizer and renderer on plan JSON written by Terraform's own test
 * suite (see that folder's README.md). Those files live outside the project and must not be
 * copied into it; a user's clone has no ../shared, so this suite skips, saying so, without it.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { planFacts } from "../../src/features/plan/facts";
import { renderPlanMarkdown } from "../../src/features/plan/markdown";
import { parsePlanJson, type TerraformPlan } from "../../src/features/plan/plan-json";
import { summarizePlan, type PlanCounts } from "../../src/features/plan/summarize";

const PLANS = path.resolve(__dirname, "../../../shared/fixtures/terraform-plans");
const present = existsSync(PLANS);

if (!present) {
  console.warn(`Skipping the Terraform plan conformance tests: ${PLANS} does not exist (it is only in the shared checkout).`);
}

const read = (name: string): TerraformPlan => parsePlanJson(readFileSync(path.join(PLANS, name), "utf8"), name);
const summary = (name: string) => summarizePlan(read(name), name);
const zero: PlanCounts = { create: 0, update: 0, delete: 0, replace: 0, import: 0, move: 0, "no-op": 0 };

(present ? describe : describe.skip)(
  present ? "conformance with Terraform's own plan JSON" : `conformance with Terraform's own plan JSON (skipped: ${PLANS} not found)`,
  () => {
    it("basic-create: 3 creates and 1 output to create", () => {
      const s = summary("basic-create.json");
      expect(s.counts).toEqual({ ...zero, create: 3 });
      expect(s.resources.map((r) => [r.address, r.actions])).toEqual([
        ["test_instance.test[0]", ["create"]],
        ["test_instance.test[1]", ["create"]],
        ["test_instance.test[2]", ["create"]],
      ]);
      expect(s.outputs).toEqual([{ name: "test", actions: ["create"] }]);
    });

    it("basic-update: 1 no-op resource and 1 unchanged output, so nothing listed", () => {
      const plan = read("basic-update.json");
      const s = summarizePlan(plan, "basic-update.json");
      expect(s.counts).toEqual({ ...zero, "no-op": 1 });
      expect(s.resources).toEqual([]);
      expect(Object.values(plan.output_changes).map((o) => o.actions)).toEqual([["no-op"]]);
      expect(s.outputs).toEqual([]);
    });

    it("basic-delete: 1 update, 1 delete, 1 output to create", () => {
      const s = summary("basic-delete.json");
      expect(s.counts).toEqual({ ...zero, update: 1, delete: 1 });
      expect(s.resources).toEqual([
        {
          address: "test_instance.test",
          type: "test_instance",
          actions: ["update"],
          replace_paths: null,
          action_reason: null,
          changes: [{ path: "ami", before: '"foo"', after: '"bar"' }],
          hidden_computed: 0,
        },
        {
          address: "test_instance.test-delete",
          type: "test_instance",
          actions: ["delete"],
          replace_paths: null,
          action_reason: "delete_because_no_resource_config",
          changes: [],
          hidden_computed: 0,
        },
      ]);
      expect(s.outputs).toEqual([{ name: "test", actions: ["create"] }]);
    });

    it("requires-replace: 1 replacement, counted once, with its paths and reason", () => {
      const s = summary("requires-replace.json");
      expect(s.counts).toEqual({ ...zero, replace: 1 });
      expect(s.resources).toEqual([
        {
          address: "test_instance.test",
          type: "test_instance",
          actions: ["delete", "create"],
          replace_paths: [["ami"]],
          action_reason: "replace_because_cannot_update",
          // id turns unknown: the configuration does not set it, so it is computed, left out and counted.
          changes: [{ path: "ami", before: '"bar"', after: '"force-replace"', forces_replacement: true }],
          hidden_computed: 1,
        },
      ]);
    });

    it("drift: 2 updates and 1 resource changed outside Terraform", () => {
      const s = summary("drift.json");
      expect(s.counts).toEqual({ ...zero, update: 2 });
      expect(s.drift).toEqual([{ address: "test_instance.should_refresh", actions: ["update"] }]);
      expect(s.resources.map((r) => [r.address, r.changes])).toEqual([
        ["test_instance.no_refresh", [{ path: "ami", before: '"foo"', after: '"bar"' }]],
        ["test_instance.should_refresh", [{ path: "ami", before: '"refreshed"', after: '"baz"' }]],
      ]);
    });

    it("moved: 1 move", () => {
      const plan = read("moved.json");
      const s = summarizePlan(plan, "moved.json");
      // The README says "no other change", but the moved instance's own actions are ["update"]
      // (its ami changes too): a move is counted on top of the instance's action, not instead.
      expect(s.counts).toEqual({ ...zero, move: 1, update: 1 });
      expect(planFacts(plan).moved).toEqual([
        { previous_address: "test_instance.foo", address: "test_instance.baz", type: "test_instance", actions: ["update"] },
      ]);
    });

    it("renders every plan with what changes, and no value that does not change", () => {
      const names = ["basic-create.json", "basic-update.json", "basic-delete.json", "requires-replace.json", "drift.json", "moved.json"];
      const stacks = names.map((name) => {
        const plan = read(name);
        return { stack: name.replace(/\.json$/, ""), summary: summarizePlan(plan, name), facts: planFacts(plan) };
      });
      const markdown = renderPlanMarkdown(stacks);
      // Unchanged ids are not changes.
      expect(markdown).not.toContain("placeholder");
      expect(markdown).toContain('| `test_instance.test` | `test_instance` | `ami` | cannot be updated in place | `ami`: `"bar"` → `"force-replace"` **(forces replacement)**<br>_1 computed attribute known after apply not shown_ |');
      expect(markdown).toContain('| `test_instance.should_refresh` | `test_instance` | `ami`: `"refreshed"` → `"baz"` |');
      expect(markdown).toContain("### `basic-update`\n\nNo changes.");
      expect(markdown).toContain("### `requires-replace`\n\nPlan: 0 to add, 0 to change, 1 to replace, 0 to destroy.");
      expect(markdown).toContain("### `moved`\n\nPlan: 0 to add, 1 to change, 0 to replace, 0 to destroy, 1 to move.");
      // test_instance is not a stateful type, so there is nothing to caution about.
      expect(markdown).not.toContain("[!CAUTION]");
    });
  },
);
