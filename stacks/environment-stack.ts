import type { Construct } from "constructs";
import { Aspects, TerraformOutput, TerraformStack } from "cdktf";
import { CloudflareProvider } from "@cdktf/provider-cloudflare/lib/provider";
import { NullProvider } from "@cdktf/provider-null/lib/provider";
import { FlyProvider } from "../.gen/providers/fly/provider";
import { FlyApp } from "../constructs/fly-app";
import type { EnvironmentConfig, StateConfig } from "../src/config/types";
import { logicalIds } from "../src/fly/naming";
import { terraformLiteral } from "../src/fly/literal";
import { configureBackend, stateKey } from "./backend";
import { pinProviders } from "./provider-pins";
import { type FlystackStackMetadata, METADATA_KEY } from "../src/stack-metadata";
import { FlystackRules } from "../policies/pack";

export interface EnvironmentStackProps {
  readonly environment: EnvironmentConfig;
  /** Fly Machines API base URL. @default the provider's default (Fly's public API) */
  readonly flyApiUrl?: string;
  /** Cloudflare API base URL. @default the provider's default (Cloudflare's public API) */
  readonly cloudflareApiUrl?: string;
  /** State settings that replace the environment's, e.g. local state for tests. @default the environment's `state` */
  readonly state?: StateConfig;
}

/**
 * One environment's stack: providers, remote state, and an app construct per configured app.
 * Credentials are never set here: each provider reads its own token from the environment
 * (FLY_API_TOKEN, CLOUDFLARE_API_TOKEN), and the S3 backend reads AWS_*.
 */
export class EnvironmentStack extends TerraformStack {
  public readonly apps: Readonly<Record<string, FlyApp>>;

  constructor(scope: Construct, id: string, props: EnvironmentStackProps) {
    super(scope, id);
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
      // Recorded so `flystack drift --skip-synth` knows the accepted drifts without the environment files.
      ...(env.acceptedDrift && env.acceptedDrift.length > 0
        ? { acceptedDrift: env.acceptedDrift.map((a) => ({ address: a.address, ...(a.field === undefined ? {} : { field: a.field }), reason: a.reason, expires: a.expires })) }
        : {}),
    };
    this.addOverride(`//.${METADATA_KEY}`, metadata);
    configureBackend(this, props.state ?? env.state, stateKey(env.project, env.name, id));

    const apps: Record<string, FlyApp> = {};
    for (const [appKey, app] of Object.entries(env.apps)) {
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
    this.apps = apps;
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
