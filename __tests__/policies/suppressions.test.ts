import type { Construct } from "constructs";
import { FlyApp } from "../../constructs/fly-app";
import { collectReport } from "../../policies/report";
import { fly009 } from "../../policies/rules/fly009-https-only";
import { suppress, suppressionsOn, SUPPRESSIONS_METADATA } from "../../policies/suppressions";
import { findings, IMAGE, testStack } from "./helpers";

const REASON = "the app redirects to HTTPS itself using X-Forwarded-Proto";

/** An app whose `web` group also serves plain HTTP on port 80 (FLY009 on each of its two machines). */
function plainHttpApp(scope: Construct): FlyApp {
  return new FlyApp(scope, "api", {
    appKey: "api",
    name: "acme-api-test",
    org: "acme",
    environment: "test",
    groups: {
      web: {
        image: IMAGE,
        guest: { cpuKind: "shared", cpus: 1, memoryMb: 512 },
        regions: ["iad"],
        count: 2,
        services: [
          {
            internalPort: 8080,
            ports: [{ port: 443, handlers: ["tls", "http"] }, { port: 80, handlers: ["http"] }],
            checks: [{ type: "http", path: "/health" }],
          },
        ],
      },
    },
  });
}

describe("suppressions", () => {
  test("without a suppression, FLY009 is reported on every machine of the group", () => {
    const { stack } = testStack();
    plainHttpApp(stack);
    expect(findings(stack, fly009).map((f) => f.path)).toEqual(["test/api/group-web/machine-iad-1", "test/api/group-web/machine-iad-2"]);
  });

  test("a suppression with a reason covers the construct and its children, and is listed", () => {
    const { app, stack } = testStack();
    const flyApp = plainHttpApp(stack);
    suppress(flyApp.groups.web, [{ id: "FLY009", reason: REASON }]);
    expect(suppressionsOn(flyApp.groups.web)).toEqual([{ id: "FLY009", reason: REASON }]);
    expect(flyApp.groups.web.node.metadata.map((m) => m.type)).toContain(SUPPRESSIONS_METADATA);
    expect(findings(stack, fly009)).toEqual([]);
    expect(collectReport(app)).toEqual({
      findings: [],
      suppressions: [{ stack: "test", ruleId: "FLY009", path: "test/api/group-web", reason: REASON }],
    });
  });

  test("a suppression on one construct does not cover its siblings or its parent", () => {
    const { stack } = testStack();
    const flyApp = plainHttpApp(stack);
    suppress(flyApp.groups.web.machines[0].machine, [{ id: "FLY009", reason: REASON }]);
    expect(findings(stack, fly009).map((f) => f.path)).toEqual(["test/api/group-web/machine-iad-2"]);
  });

  test("a suppression of another rule does not cover this one", () => {
    const { stack } = testStack();
    const flyApp = plainHttpApp(stack);
    suppress(flyApp, [{ id: "FLY005", reason: "health is checked by the load balancer" }]);
    expect(findings(stack, fly009)).toHaveLength(2);
  });

  test("a reason under 10 characters is an error naming the construct and the reason, and suppresses nothing", () => {
    const { app, stack } = testStack();
    const flyApp = plainHttpApp(stack);
    suppress(flyApp.groups.web, [{ id: "FLY009", reason: " redirect " }]);
    const report = collectReport(app);
    expect(report.suppressions).toEqual([]);
    expect(report.findings.map((f) => [f.ruleId, f.level, f.path])).toEqual([
      ["FLY000", "error", "test/api/group-web"],
      ["FLY009", "warning", "test/api/group-web/machine-iad-1"],
      ["FLY009", "warning", "test/api/group-web/machine-iad-2"],
    ]);
    expect(report.findings[0].message).toBe(
      'suppression of FLY009 has reason " redirect " (8 characters); give at least 10 characters saying why the rule does not apply here',
    );
  });

  test("an unknown rule ID, and FLY000 itself, cannot be suppressed", () => {
    const { stack } = testStack();
    suppress(stack, [
      { id: "FLY999", reason: "a typo in the rule identifier" },
      { id: "FLY000", reason: "trying to hide a bad suppression" },
    ]);
    expect(findings(stack).map((f) => [f.ruleId, f.path, f.message.replace(/; known: .*$/, "; known: …")])).toEqual([
      ["FLY000", "test", 'suppression names "FLY999", which is not a rule; known: …'],
      ["FLY000", "test", "FLY000 cannot be suppressed; fix the suppression instead"],
    ]);
  });

  test("a suppression on the stack covers the whole stack", () => {
    const { stack } = testStack();
    plainHttpApp(stack);
    suppress(stack, [{ id: "FLY009", reason: REASON }]);
    expect(findings(stack, fly009)).toEqual([]);
  });
});
