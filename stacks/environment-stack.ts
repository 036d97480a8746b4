import type { Construct } from "constructs";
import { Aspects, TerraformOutput, TerraformStack } from "cdktf";
import { CloudflareProvider } from "../.gen/providers/cloudflare/provider";
import { NullProvider } from "@cdktf/provider-null/lib/provider";
import { FlyProvider } from "../.gen/providers/fly/provider";
import { FlyApp } from "../constructs/fly-app";
import { MonitoringApp } from "../constructs/monitoring-app";
import { MONITORING_APP_KEY } from "../src/config/monitoring";
import type { EnvironmentConfig, StateConfig } from "../src/config/types";
import { logicalIds } from "../src/fly/naming";
import { terraformLiteral } from "../src/util/terraform-literal";
import { configureBackend, stateKey } from "./backend";
import { pinProviders } from "./provider-pins";
import { type AppObjective, type FlystackStackMetadata, type MachineGroup, METADATA_KEY } from "../src/config/stack-metadata";
import { FlystackRules } from "../policies/pack";

export interface EnvironmentStackProps {
  readonly environment: EnvironmentConfig;
  /** Fly Machines API base URL. @default the provider's default (Fly's public API) */
  readonly flyApiUrl?: string;
  /** Cloudflare API base URL. @default the provider's default (Cloudflare's public API) */
  readonly cloudflareApiUrl?: string;
  /** State settings that replace the environment's, e.g. local state for tests. @default the environment's `state` */
  readonly state?: StateConfig;
  /**
   * The one app of a per-app stack (`stacks: "per-app"`): the stack holds only it, and its state is
   * `<project>/<environment>/<app>.tfstate`. @default every app of the environment, in one stack
   */
  readonly app?: string;
  /**
   * Render the stack once, without cdktf's preparing pass: the guardrail gate and `app.synth()`
   * would otherwise each prepare and resolve the whole stack again (four resolutions per stack, the
   * bulk of synthesis). A flystack stack holds no cross-stack reference, which is all preparing is for.
   * Only for a stack that is complete when first synthesized (main.ts builds and then only
   * synthesizes); a stack changed after its first rendering would be written as it was then.
   * @default false: every call renders anew, as cdktf does
   */
  readonly renderOnce?: boolean;
}

/**
 * One environment's stack: providers, remote state, and an app construct per configured app.
 * Credentials are never set here: each provider reads its own token from the environment
 * (FLY_API_TOKEN, CLOUDFLARE_API_TOKEN), and the S3 backend reads AWS_*.
 */
export class EnvironmentStack extends TerraformStack {
  public readonly apps: Readonly<Record<string, FlyApp>>;
  private readonly renderOnce: boolean;
  /** The stack as first rendered, serialized: a string holds a tenth of the memory of the object tree. */
  private rendered?: string;

  constructor(scope: Construct, id: string, props: EnvironmentStackProps) {
    super(scope, id);
    this.renderOnce = props.renderOnce ?? false;
    const env = props.environment;
    // The guardrails (policies/): judged at synthesis on the stack's final JSON; an error fails it.
    Aspects.of(this).add(new FlystackRules());

    new FlyProvider(this, "fly", { orgSlug: env.fly.org, baseUrl: props.flyApiUrl });
    new CloudflareProvider(this, "cloudflare", { baseUrl: props.cloudflareApiUrl });
    new NullProvider(this, "null");
    pinProviders(this);
    const metadata: FlystackStackMetadata = {
      environment: env.name,
      protected: env.protected ?? false,
      org: env.fly.org,
      ...(props.app === undefined ? {} : { app: props.app }),
      // Recorded so `flystack drift --skip-synth` knows the accepted drifts without the environment files.
      ...(env.acceptedDrift && env.acceptedDrift.length > 0
        ? { acceptedDrift: env.acceptedDrift.map((a) => ({ address: a.address, ...(a.field === undefined ? {} : { field: a.field }), reason: a.reason, expires: a.expires })) }
        : {}),
    };
    this.addOverride(`//.${METADATA_KEY}`, metadata);
    configureBackend(this, props.state ?? env.state, stateKey(env.project, env.name, props.app ?? id));

    const apps: Record<string, FlyApp> = {};
    const monitored = env.monitoring !== undefined && (props.app === undefined || props.app === MONITORING_APP_KEY);
    const selected = props.app === undefined ? Object.entries(env.apps) : props.app === MONITORING_APP_KEY && monitored ? [] : [[props.app, env.apps[props.app]] as const];
    if (selected.some(([, app]) => app === undefined)) throw new Error(`EnvironmentStack ${id}: environment ${env.name} has no app "${props.app}"`);
    for (const [appKey, app] of selected) {
      const flyApp = new FlyApp(this, appKey, {
        ...app,
        appKey,
        org: env.fly.org,
        environment: env.name,
        dns: env.dns,
        protected: env.protected ?? false,
      });
      apps[appKey] = flyApp;
      this.outputs(appKey, flyApp);
    }
    if (monitored) {
      const monitoring = new MonitoringApp(this, MONITORING_APP_KEY, { environment: env });
      apps[MONITORING_APP_KEY] = monitoring.app;
      this.outputs(MONITORING_APP_KEY, monitoring.app);
    }
    this.apps = apps;
    const groups = machineGroups(apps);
    if (groups.length > 0) this.addOverride(`//.${METADATA_KEY}.groups`, groups);
    const objectives = appObjectives(env, selected.map(([key]) => key));
    if (objectives.length > 0) this.addOverride(`//.${METADATA_KEY}.slos`, objectives);
  }

  public prepareStack(): void {
    // cdktf's preparing pass resolves the whole stack once more so that cross-stack references can
    // add outputs before rendering. A flystack stack has none (apps share no Terraform value, and
    // each stack configures its backend in the constructor), so a stack rendered once skips it.
    if (this.renderOnce) return;
    super.prepareStack();
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- cdktf's own return type
  public toTerraform(): { [key: string]: any } {
    if (!this.renderOnce) return super.toTerraform();
    if (this.rendered !== undefined) return JSON.parse(this.rendered);
    const json = super.toTerraform();
    this.rendered = JSON.stringify(json);
    return json;
  }

  /**
   * Overrides after the first rendering (the guardrail pack records suppressions while cdktf
   * writes): plain data is set into the rendered JSON as cdktf would merge it; anything holding a
   * token makes the stack render again.
   */
  public addOverride(path: string, value: unknown): void {
    super.addOverride(path, value);
    if (!this.rendered) return;
    if (!isPlainData(value)) {
      this.rendered = undefined;
      return;
    }
    const parts = path.split(".");
    const json = JSON.parse(this.rendered);
    let node = json;
    for (const key of parts.slice(0, -1)) {
      if (node[key] === null || typeof node[key] !== "object" || Array.isArray(node[key])) node[key] = {};
      node = node[key];
    }
    node[parts[parts.length - 1]] = value;
    this.rendered = JSON.stringify(json);
  }

  private outputs(appKey: string, app: FlyApp): void {
    // IDs from src/fly/naming.ts, like every address (validation checks they are distinct).
    const hostnames = logicalIds.output(appKey, "hostnames");
    new TerraformOutput(this, hostnames, {
      description: `Hostnames of app ${appKey}: its fly.dev name and custom domains.`,
      value: [`${app.appName}.fly.dev`, ...app.domains.map((d) => d.hostname)].map(terraformLiteral),
    }).overrideLogicalId(hostnames);
    const addresses = logicalIds.output(appKey, "ip_addresses");
    new TerraformOutput(this, addresses, {
      description: `IP addresses of app ${appKey} by kind (shared_ipv4, ipv6, dedicated_ipv4, flycast).`,
      value: app.addresses,
    }).overrideLogicalId(addresses);
    if (app.domains.length > 0) {
      const status = logicalIds.output(appKey, "certificate_status");
      new TerraformOutput(this, status, {
        description: `Fly certificate status of each custom hostname of app ${appKey}.`,
        value: Object.fromEntries(app.domains.map((d) => [terraformLiteral(d.hostname), d.validation?.status ?? d.cert.status])),
      }).overrideLogicalId(status);
    }
  }
}

/** Strings, numbers, booleans, arrays and objects without a cdktf token (`${TfToken[…]}`, or a number token, about -1.8e289). */
function isPlainData(value: unknown): boolean {
  if (value === null || typeof value === "boolean") return true;
  if (typeof value === "string") return !value.includes("${TfToken[") && !value.includes("${");
  if (typeof value === "number") return Number.isFinite(value) && value > -1e280;
  if (Array.isArray(value)) return value.every(isPlainData);
  if (typeof value === "object") return Object.getPrototypeOf(value) === Object.prototype && Object.values(value as object).every(isPlainData);
  return false;
}

/** Each process group's machine addresses in deploy order, for the plan comment (src/config/stack-metadata.ts). */
function machineGroups(apps: Readonly<Record<string, FlyApp>>): MachineGroup[] {
  return Object.entries(apps).flatMap(([appKey, app]) =>
    Object.entries(app.groups).map(([group, processGroup]) => ({
      name: `${appKey}/${group}`,
      strategy: processGroup.strategy,
      machines: processGroup.machines.map(({ machine }) => `${machine.terraformResourceType}.${machine.friendlyUniqueId}`),
    })),
  );
}

/** The SLO of each of these apps that declares one (one service per app may), for `flystack budget`. */
function appObjectives(env: EnvironmentConfig, appKeys: readonly string[]): AppObjective[] {
  return appKeys.flatMap((key) => {
    const app = env.apps[key];
    const slo = Object.values(app.groups).flatMap((g) => (g.services ?? []).flatMap((s) => (s.slo ? [s.slo] : [])))[0];
    if (!slo) return [];
    return [{ app: key, flyName: app.name, ...(slo.availability === undefined ? {} : { availability: slo.availability }), ...(slo.latencyMs === undefined ? {} : { latencyMs: { p: slo.latencyMs.p, under: slo.latencyMs.under } }) }];
  });
}
