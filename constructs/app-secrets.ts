import { Construct } from "constructs";
import { Fn, TerraformVariable } from "cdktf";
import { Secret } from "../.gen/providers/fly/secret";
import type { SecretConfig } from "../src/config/types";
import { logicalIds } from "../src/fly/naming";
import { terraformLiteral } from "../src/util/terraform-literal";

export interface AppSecretsProps {
  /** Fly app name (a reference to the app resource). */
  readonly appName: string;
  /** The app's key in the environment config; names variables and logical IDs. */
  readonly appKey: string;
  /** Secrets by environment-variable name, each with its rotation version. */
  readonly secrets: Readonly<Record<string, SecretConfig>>;
}

/**
 * An app's secrets. Each value arrives through a sensitive, ephemeral Terraform variable
 * (`TF_VAR_<appKey>_<NAME>`) and goes to Fly through `fly_secret.value_wo`, a write-only
 * attribute: Terraform keeps it out of plan files and state. Changing `version` in config
 * re-sends the value; machines follow through `minSecretsVersion`.
 */
export class AppSecrets extends Construct {
  public readonly secrets: readonly Secret[];
  /** The variables operators must set, by secret name. */
  public readonly variables: Readonly<Record<string, TerraformVariable>>;

  constructor(scope: Construct, id: string, props: AppSecretsProps) {
    super(scope, id);
    const secrets: Secret[] = [];
    const variables: Record<string, TerraformVariable> = {};
    for (const [name, secret] of Object.entries(props.secrets)) {
      const variableName = logicalIds.secret(props.appKey, name);
      const variable = new TerraformVariable(this, `${name}-value`, {
        type: "string",
        sensitive: true,
        nullable: false,
        description: `Value of the Fly secret ${name} of app ${props.appKey}; set TF_VAR_${variableName}.`,
      });
      variable.overrideLogicalId(variableName);
      // cdktf 0.21 has no `ephemeral` property; an ephemeral variable never reaches plan or state.
      variable.addOverride("ephemeral", true);
      variables[name] = variable;

      const resource = new Secret(this, name, {
        app: props.appName,
        name: terraformLiteral(name),
        valueWo: variable.stringValue,
        valueWoVersion: terraformLiteral(secret.version),
      });
      resource.overrideLogicalId(variableName);
      secrets.push(resource);
    }
    this.secrets = secrets;
    this.variables = variables;
  }

  /**
   * The app-wide secrets version the machines must start with: the highest version any of the
   * secrets set. Undefined when the app has no secrets.
   */
  public get minSecretsVersion(): number | undefined {
    if (this.secrets.length === 0) return undefined;
    if (this.secrets.length === 1) return this.secrets[0].version;
    return Fn.max(this.secrets.map((s) => s.version));
  }
}
