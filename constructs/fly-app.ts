import { Construct } from "constructs";
import { App } from "../.gen/providers/fly/app";
import { Ip } from "../.gen/providers/fly/ip";
import type { AppConfig, DnsConfig } from "../src/config/types";
import { logicalIds } from "../src/fly/naming";
import { terraformLiteral } from "../src/util/terraform-literal";
import { AppSecrets } from "./app-secrets";
import { Domain } from "./domain";
import { ProcessGroup } from "./process-group";
import { suppress } from "../policies/suppressions";
import { appFingerprint } from "../src/config/adoption";
import type { ContainerExtras } from "../src/config/monitoring";

export interface FlyAppProps extends AppConfig {
  /** The app's key in the environment config; names every logical ID of the app. */
  readonly appKey: string;
  /** Fly organization slug. */
  readonly org: string;
  /** Environment name, stamped in machine metadata. */
  readonly environment: string;
  /** The environment's DNS zone; required when `domains` is not empty. @default none */
  readonly dns?: DnsConfig;
  /** Apps and volumes get `prevent_destroy`. @default false */
  readonly protected?: boolean;
  /** Container files, entrypoints and secrets by group, for apps flystack composes (the monitoring app). @default none */
  readonly containers?: Readonly<Record<string, ContainerExtras>>;
}

export interface AppIps {
  readonly sharedIpv4?: Ip;
  readonly ipv6?: Ip;
  readonly dedicatedIpv4?: Ip;
  readonly flycast?: Ip;
}

/**
 * A Fly app with everything that belongs to it: IP addresses (shared IPv4 and IPv6 by
 * default), secrets, process groups and custom domains. Children reference the app resource's
 * `name`, so Terraform creates the app first and deletes it last.
 */
export class FlyApp extends Construct {
  public readonly app: App;
  /** The Fly app name as configured (a plain string, for names and outputs). */
  public readonly appName: string;
  public readonly ips: AppIps;
  public readonly secrets: AppSecrets;
  public readonly groups: Readonly<Record<string, ProcessGroup>>;
  public readonly domains: readonly Domain[];

  constructor(scope: Construct, id: string, props: FlyAppProps) {
    super(scope, id);
    suppress(this, props.suppressions ?? []);
    const domains = props.domains ?? [];
    if (domains.length > 0 && !props.dns) {
      throw new Error(`FlyApp ${props.appKey}: domains ${domains.join(", ")} need the environment's dns settings`);
    }
    if (Object.keys(props.groups).length === 0) {
      throw new Error(`FlyApp ${props.appKey}: groups is empty; define at least one process group`);
    }

    this.appName = props.name;
    this.app = new App(this, "app", {
      name: terraformLiteral(props.name),
      org: terraformLiteral(props.org),
      lifecycle: props.protected ? { preventDestroy: true } : undefined,
    });
    this.app.overrideLogicalId(logicalIds.app(props.appKey));
    const adopt = props.adopt;
    if (adopt) this.app.importFrom(props.name);
    const appName = this.app.name;

    const wanted = {
      sharedIpv4: props.ips?.sharedIpv4 ?? true,
      ipv6: props.ips?.ipv6 ?? true,
      dedicatedIpv4: props.ips?.dedicatedIpv4 ?? false,
      flycast: props.ips?.flycast ?? false,
    };
    const adoptedIp = { shared_ipv4: adopt?.ips?.sharedIpv4, ipv6: adopt?.ips?.ipv6, dedicated_ipv4: adopt?.ips?.dedicatedIpv4, flycast: adopt?.ips?.flycast };
    const ip = (kind: "shared_ipv4" | "ipv6" | "dedicated_ipv4" | "flycast", type: string) => {
      const address = adoptedIp[kind];
      // The provider's import guesses every IPv4 to be public_v4 (type forces replacement): an
      // adopted shared IPv4 keeps the guessed type in state rather than being replaced.
      const resource = new Ip(this, kind, { app: appName, type, lifecycle: address && kind === "shared_ipv4" ? { ignoreChanges: ["type"] } : undefined });
      resource.overrideLogicalId(logicalIds.ip(props.appKey, kind));
      if (address) resource.importFrom(`${props.name}/${address}`);
      return resource;
    };
    this.ips = {
      sharedIpv4: wanted.sharedIpv4 ? ip("shared_ipv4", "shared_v4") : undefined,
      ipv6: wanted.ipv6 ? ip("ipv6", "public_v6") : undefined,
      dedicatedIpv4: wanted.dedicatedIpv4 ? ip("dedicated_ipv4", "public_v4") : undefined,
      flycast: wanted.flycast ? ip("flycast", "private_v6") : undefined,
    };

    this.secrets = new AppSecrets(this, "secrets", { appName, appKey: props.appKey, secrets: props.secrets ?? {} });

    const groups: Record<string, ProcessGroup> = {};
    for (const [groupName, group] of Object.entries(props.groups)) {
      groups[groupName] = new ProcessGroup(this, `group-${groupName}`, {
        ...group,
        appName,
        appKey: props.appKey,
        groupName,
        environment: props.environment,
        minSecretsVersion: this.secrets.minSecretsVersion,
        secretNames: Object.keys(props.secrets ?? {}),
        releaseDependsOn: this.secrets.secrets,
        protected: props.protected,
        container: props.containers?.[groupName],
        org: props.org,
        adopted: adopt
          ? { flyAppName: props.name, machines: adopt.machines ?? {}, volumes: adopt.volumes ?? {}, keepLiveConfig: appFingerprint(appConfigOf(props)) === adopt.fingerprint }
          : undefined,
      });
    }
    this.groups = groups;

    this.domains = domains.map(
      (hostname) =>
        new Domain(this, `domain-${hostname}`, {
          appName,
          appKey: props.appKey,
          hostname,
          dns: props.dns!,
          ipv4: this.ips.dedicatedIpv4 ?? this.ips.sharedIpv4,
          ipv6: this.ips.ipv6,
          adoptedFrom: adopt?.certificates?.includes(hostname) ? { flyAppName: props.name } : undefined,
        }),
    );
  }

  /** The app's addresses by kind (`shared_ipv4`, `ipv6`, `dedicated_ipv4`, `flycast`), for outputs. */
  public get addresses(): Record<string, string> {
    const kinds: [string, Ip | undefined][] = [
      ["shared_ipv4", this.ips.sharedIpv4],
      ["ipv6", this.ips.ipv6],
      ["dedicated_ipv4", this.ips.dedicatedIpv4],
      ["flycast", this.ips.flycast],
    ];
    return Object.fromEntries(kinds.filter((k): k is [string, Ip] => k[1] !== undefined).map(([kind, ip]) => [kind, ip.address]));
  }
}

/** The app's own configuration, as the environment file holds it (without what the stack adds). */
function appConfigOf(props: FlyAppProps): AppConfig {
  const { appKey: _key, org: _org, environment: _env, dns: _dns, protected: _protected, containers: _containers, ...app } = props;
  return app;
}
