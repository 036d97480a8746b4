import { Testing } from "cdktf";
import { assertNoPolicyErrors, collectReport, PolicyViolationError, renderFindingsTable, type PolicyFinding } from "../../policies/report";
import { suppress } from "../../policies/suppressions";
import { machine, testStack } from "./helpers";

/** Two stacks: `production` (protected) with a single public machine and a `latest` image; `staging` with the same. */
function twoStacks() {
  const app = Testing.app({ stackTraces: false });
  for (const [id, isProtected] of [["production", true], ["staging", false]] as const) {
    const { stack } = testStack({ app, id, protected: isProtected });
    stack.addOverride("terraform.required_providers.fly.version", "~> 0.2");
    machine(stack, "web", { image: "registry.fly.io/acme-api:latest" });
  }
  return app;
}

describe("report", () => {
  test("collectReport: every stack's findings as data, in stack order", () => {
    expect(collectReport(twoStacks()).findings).toEqual([
      {
        stack: "production",
        ruleId: "FLY003",
        level: "error",
        path: "production/web",
        message: 'fly_machine.web image: image "registry.fly.io/acme-api:latest" is not pinned; use a digest (@sha256:…) or a tag other than "latest"',
      },
      {
        stack: "production",
        ruleId: "FLY004",
        level: "error",
        path: "production/web",
        message: 'public process group "web" of app acme-api runs 1 machine in its primary region iad (first machine fly_machine.web); run at least 2 there',
      },
      {
        stack: "staging",
        ruleId: "FLY003",
        level: "warning",
        path: "staging/web",
        message: 'fly_machine.web image: image "registry.fly.io/acme-api:latest" is not pinned; use a digest (@sha256:…) or a tag other than "latest"',
      },
    ]);
  });

  test("collectReport: only the stacks asked for; an unknown one is an error", () => {
    const app = twoStacks();
    expect(new Set(collectReport(app, { stacks: ["staging"] }).findings.map((f) => f.stack))).toEqual(new Set(["staging"]));
    expect(() => collectReport(app, { stacks: ["prod"] })).toThrow("unknown stack prod; have: production, staging");
  });

  test("assertNoPolicyErrors throws one error listing every finding of every stack, errors first", () => {
    let caught: unknown;
    try {
      assertNoPolicyErrors(twoStacks());
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PolicyViolationError);
    const message = (caught as PolicyViolationError).message;
    expect(message.split("\n").map((line) => line.replace(/(\] \S+): .* — .*$/, "$1: …"))).toEqual([
      "2 policy errors in the synthesized stacks:",
      "  - production: [FLY003] production/web: …",
      "  - production: [FLY004] production/web: …",
      "1 warning:",
      "  - staging: [FLY003] staging/web: …",
      "Fix them, or suppress one where it does not apply, with a reason of at least 10 characters (policies/README.md).",
    ]);
    expect(message).toContain("— With one machine, every deploy, restart or host failure takes the public service down.");
  });

  test("assertNoPolicyErrors returns the report when there are only warnings", () => {
    const app = Testing.app({ stackTraces: false });
    const { stack } = testStack({ app, id: "staging", protected: false });
    machine(stack, "web", { image: "registry.fly.io/acme-api:latest" });
    suppress(stack, [{ id: "FLY012", reason: "a throwaway stack for this test only" }]);
    const report = assertNoPolicyErrors(app);
    expect(report.findings.map((f) => f.level)).toEqual(["warning"]);
    expect(report.suppressions.map((s) => s.ruleId)).toEqual(["FLY012"]);
  });

  test("renderFindingsTable: aligned columns, errors first, suppressions, the rules' reasons and a count", () => {
    const findings: PolicyFinding[] = [
      { stack: "staging", ruleId: "FLY009", level: "warning", path: "staging/api/group-web/machine-iad-1", message: "port 80 serves plain HTTP" },
      { stack: "production", ruleId: "FLY004", level: "error", path: "production/api/group-web/machine-iad-1", message: "1 machine in iad" },
    ];
    const suppressions = [{ stack: "production", ruleId: "FLY009", path: "production/api", reason: "the app redirects using X-Forwarded-Proto" }];
    expect(renderFindingsTable(findings, suppressions)).toBe(
      [
        "LEVEL    RULE    STACK       PATH                                    MESSAGE",
        "error    FLY004  production  production/api/group-web/machine-iad-1  1 machine in iad",
        "warning  FLY009  staging     staging/api/group-web/machine-iad-1     port 80 serves plain HTTP",
        "",
        "Suppressed:",
        "RULE    STACK       PATH            REASON",
        "FLY009  production  production/api  the app redirects using X-Forwarded-Proto",
        "",
        "Rules:",
        "  FLY004  public groups are redundant: With one machine, every deploy, restart or host failure takes the public service down.",
        "  FLY009  HTTPS only: Provider ampbase-io/fly 0.2 cannot set force_https, so nothing redirects plain HTTP to HTTPS.",
        "",
        "2 findings (1 error, 1 warning), 1 suppression.",
        "",
      ].join("\n"),
    );
  });

  test("renderFindingsTable: nothing to report", () => {
    expect(renderFindingsTable([], [])).toBe("No findings.\n\n0 findings (0 errors, 0 warnings), 0 suppressions.\n");
  });
});
