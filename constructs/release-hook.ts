import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { Resource as NullResource } from "@cdktf/provider-null/lib/resource";
import { terraformLiteral } from "../src/fly/literal";

export interface ReleaseHookProps {
  /** Fly app name (a reference to the app resource). */
  readonly appName: string;
  /** The image the group is about to roll to. */
  readonly image: string;
  /** Command run in a one-off machine, e.g. database migrations. */
  readonly command: readonly string[];
  /** Region of the one-off machine (the group's primary region). */
  readonly region: string;
  /** Terraform logical ID. */
  readonly logicalId: string;
  /** `flyctl` executable. @default "flyctl" */
  readonly flyctl?: string;
  /** What must exist before the command runs, e.g. the app's secrets. @default nothing */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/** Quotes one argument for the POSIX shell that runs local-exec commands. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'"'"'`)}'`;
}

/**
 * Runs the release command once per image change, before the group's machines roll (they
 * depend on it): `flyctl machine run <image> <command> --rm`. A failed release fails the
 * apply before any machine is touched. flyctl takes FLY_API_TOKEN from the environment.
 */
export class ReleaseHook extends Construct {
  public readonly resource: NullResource;

  constructor(scope: Construct, id: string, props: ReleaseHookProps) {
    super(scope, id);
    if (props.command.length === 0) throw new Error("ReleaseHook: command is empty; give the command to run, e.g. [\"npm\", \"run\", \"migrate\"]");
    const argv = [
      props.flyctl ?? "flyctl",
      "machine",
      "run",
      props.image,
      ...props.command,
      "--app",
      props.appName,
      "--region",
      props.region,
      "--rm",
    ];
    this.resource = new NullResource(this, "release", {
      // Literal for Terraform (a `${` in an argument is not an interpolation); the app name, a
      // reference, stays one: terraformLiteral leaves cdktf tokens alone.
      triggers: { image: terraformLiteral(props.image), command: terraformLiteral(props.command.join(" ")) },
      provisioners: [{ type: "local-exec", command: terraformLiteral(argv.map(shellQuote).join(" ")) }],
      dependsOn: props.dependsOn && props.dependsOn.length > 0 ? [...props.dependsOn] : undefined,
    });
    this.resource.overrideLogicalId(props.logicalId);
  }
}
