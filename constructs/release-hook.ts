import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { Resource as NullResource } from "@cdktf/provider-null/lib/resource";
import { terraformLiteral } from "../src/util/terraform-literal";
import type { GuestConfig } from "../src/config/types";

export interface ReleaseHookProps {
  /** Fly app name (a reference to the app resource). */
  readonly appName: string;
  /** The image the group is about to roll to. */
  readonly image: string;
  /** Command run in a one-off machine, e.g. database migrations. */
  readonly command: readonly string[];
  /** Region of the one-off machine (the group's primary region). */
  readonly region: string;
  /** Plain environment of the one-off machine, as the group's machines have it (the app's secrets Fly adds itself). @default none */
  readonly env?: Readonly<Record<string, string>>;
  /** Size of the one-off machine. @default flyctl's default size */
  readonly guest?: GuestConfig;
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
 * depend on it), as `fly deploy` runs a release command: a one-off machine of the image with the
 * group's env (and RELEASE_COMMAND=1) and size, `flyctl machine run <image> --app … --region … --rm --env K=V… --vm-cpu-kind …
 * --vm-cpus … --vm-memory … -- <command>` (after `--`, the command's own flags reach it untouched).
 * A failed release fails the apply before any machine is touched. flyctl takes FLY_API_TOKEN from the
 * environment; Fly gives the machine the app's secrets.
 */
export class ReleaseHook extends Construct {
  public readonly resource: NullResource;

  constructor(scope: Construct, id: string, props: ReleaseHookProps) {
    super(scope, id);
    if (props.command.length === 0) throw new Error("ReleaseHook: command is empty; give the command to run, e.g. [\"npm\", \"run\", \"migrate\"]");
    // As fly deploy's release machine: the group's env, and RELEASE_COMMAND=1 (flyctl's
    // machines_releasecommand.go), which entrypoint scripts check to skip server-only start-up.
    const env = Object.entries({ ...props.env, RELEASE_COMMAND: "1" }).flatMap(([name, value]) => ["--env", `${name}=${value}`]);
    const guest = props.guest ? ["--vm-cpu-kind", props.guest.cpuKind, "--vm-cpus", String(props.guest.cpus), "--vm-memory", String(props.guest.memoryMb)] : [];
    const argv = [props.flyctl ?? "flyctl", "machine", "run", props.image, "--app", props.appName, "--region", props.region, "--rm", ...env, ...guest, "--", ...props.command];
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
