import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { Resource as NullResource } from "@cdktf/provider-null/lib/resource";
import { terraformLiteral } from "../src/util/terraform-literal";
import type { CanaryConfig } from "../src/config/types";
import { shellQuote } from "./release-hook";

export interface CanaryGateProps {
  /** Fly app name (a reference to the app resource). */
  readonly appName: string;
  /** Fly organization: its Prometheus (https://api.fly.io/prometheus/<org>) holds the app's series. */
  readonly org: string;
  /** The group's name, for the gate's messages. */
  readonly groupName: string;
  /** The canary's Fly machine id (a reference to the first machine's id): the `instance` label of its series. */
  readonly canaryMachineId: string;
  /** How many machines the group declares: fewer running means the group is being created, with no old release to compare. */
  readonly groupSize: number;
  /** What the group is made from, hashed: the gate runs again whenever it changes. */
  readonly release: string;
  readonly canary: CanaryConfig;
  /** Terraform logical ID. */
  readonly logicalId: string;
  /** The canary machine: the gate runs once it is updated and healthy. */
  readonly dependsOn: readonly ITerraformDependable[];
}

/**
 * The gate between a rolling group's first machine (the canary) and the rest: a `null_resource`
 * whose create runs `flystack canary-gate` (so it is in the plan and the apply log). It watches the
 * canary for the window and compares its 5xx ratio and latency with the group's other machines in
 * Fly's Prometheus; a failing canary fails the apply, and the machines after it stay on the old
 * release. It runs again whenever the group's release changes. `flystack apply` tells Terraform
 * where bin/flystack is (FLYSTACK_BIN); the token is FLY_API_TOKEN, as for every apply.
 */
export class CanaryGate extends Construct {
  public readonly resource: NullResource;

  constructor(scope: Construct, id: string, props: CanaryGateProps) {
    super(scope, id);
    const c = props.canary;
    const args = [
      "canary-gate",
      "--app", props.appName,
      "--org", props.org,
      "--group", props.groupName,
      "--machine", props.canaryMachineId,
      "--group-size", String(props.groupSize),
      "--window", c.window,
      "--max-error-ratio", String(c.maxErrorRatio),
      "--max-latency-ratio", String(c.maxLatencyRatio),
      "--quantile", String(c.quantile ?? 0.99),
      "--min-requests", String(c.minRequests ?? 100),
      "--on-insufficient-data", c.onInsufficientData ?? "fail",
    ];
    // `${FLYSTACK_BIN:-flystack}` is the shell's: terraformLiteral keeps Terraform from reading it.
    const command = `"\${FLYSTACK_BIN:-flystack}" ${args.map(shellQuote).join(" ")}`;
    this.resource = new NullResource(this, "gate", {
      triggers: { release: props.release, canary: props.canaryMachineId },
      provisioners: [{ type: "local-exec", command: terraformLiteral(command) }],
      dependsOn: [...props.dependsOn],
    });
    this.resource.overrideLogicalId(props.logicalId);
  }
}
