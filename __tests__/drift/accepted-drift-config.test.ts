/**
 * `acceptedDrift` in an environment file: the schema's bounds, the rule that each entry names a
 * resource of the environment, and synthesis recording the entries in the stack metadata that
 * `flystack drift --skip-synth` reads.
 */
import { Testing } from "cdktf";
import { EnvironmentStack } from "../../stacks/environment-stack";
import type { EnvironmentConfig } from "../../src/config/types";
import { readStackMetadata } from "../../src/config/stack-metadata";
import { issuesOf, loose, validEnvironment } from "../config/fixtures";

const ENTRY = { address: "fly_machine.api_web_iad_1", field: "image_digest", reason: "hotfix deployed by hand, see INC-123", expires: "2026-12-31" };

function withAccepted(entries: unknown[]) {
  const env = loose(validEnvironment());
  env.apps.api.groups.web.regions = ["iad"];
  env.acceptedDrift = entries;
  return env;
}

describe("acceptedDrift: schema and rule", () => {
  test("a well-formed entry, with or without a field, and an expired one are valid", () => {
    expect(issuesOf(withAccepted([ENTRY]))).toEqual([]);
    expect(issuesOf(withAccepted([{ address: "fly_app.api", reason: ENTRY.reason, expires: ENTRY.expires }]))).toEqual([]);
    expect(issuesOf(withAccepted([{ address: ENTRY.address, reason: ENTRY.reason, expires: "2020-01-01" }]))).toEqual([]);
  });

  test.each<[string, Record<string, unknown>, string, RegExp]>([
    ["an empty address", { address: "" }, "acceptedDrift[0].address", /must not be empty/],
    ["a short reason", { reason: "hotfix" }, "acceptedDrift[0].reason", /at least 10 characters/],
    ["a date that is not ISO", { expires: "31/12/2026" }, "acceptedDrift[0].expires", /ISO date/],
    ["a day that does not exist", { expires: "2026-02-30" }, "acceptedDrift[0].expires", /real calendar date/],
    ["an empty field", { field: "" }, "acceptedDrift[0].field", /must not be empty/],
    ["an address the environment does not declare", { address: "fly_machine.api_web_iad_9" }, "acceptedDrift[0].address", /"fly_machine\.api_web_iad_9" is not a resource of this environment/],
  ])("refused: %s", (_title, change, path, message) => {
    const issues = issuesOf(withAccepted([{ ...ENTRY, ...change }]));
    expect(issues).toEqual([expect.objectContaining({ path, message: expect.stringMatching(message) })]);
  });

  test("refused: an unknown key, and the same address and field twice", () => {
    expect(issuesOf(withAccepted([{ ...ENTRY, until: "x" }])).map((i) => i.path)).toEqual(["acceptedDrift[0]"]);
    expect(issuesOf(withAccepted([ENTRY, { ...ENTRY, reason: "another reason for the same" }]))).toEqual([
      expect.objectContaining({ path: "acceptedDrift[1]", message: expect.stringContaining("a second time") }),
    ]);
  });
});

describe("acceptedDrift: recorded at synthesis", () => {
  const synth = (env: EnvironmentConfig) => new EnvironmentStack(Testing.app({ stackTraces: false }), env.name, { environment: env }).toTerraform() as unknown;

  test("the stack metadata holds the entries; readStackMetadata reads them back", () => {
    const env = { ...(validEnvironment() as EnvironmentConfig), acceptedDrift: [ENTRY, { address: "fly_app.api", reason: "renamed org by hand", expires: "2027-01-31" }] };
    const json = synth(env) as { "//": { flystack: unknown } };
    expect(json["//"].flystack).toEqual({ environment: "staging", protected: false, acceptedDrift: env.acceptedDrift, groups: expect.any(Array), org: "acme" });
    expect(readStackMetadata(json)).toEqual({ environment: "staging", protected: false, acceptedDrift: env.acceptedDrift, groups: expect.any(Array), org: "acme" });
  });

  test("without entries the metadata is as before", () => {
    const json = synth(validEnvironment() as EnvironmentConfig) as { "//": { flystack: unknown } };
    expect(json["//"].flystack).toEqual({ environment: "staging", protected: false, groups: expect.any(Array), org: "acme" });
  });
});
