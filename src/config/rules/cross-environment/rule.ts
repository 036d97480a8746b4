import type { ConfigIssue } from "../../issue";
import type { EnvironmentConfig } from "../../types";

/** One valid environment, named by its file (`environments/<file>.ts`): that is its identity, even when its `name` is wrong. */
export interface EnvironmentEntry {
  readonly file: string;
  readonly config: EnvironmentConfig;
}

/**
 * A check across every environment that passed the schema: something only one environment may
 * hold (a hostname, a DNS record). Environments are visited in the order given (file-name order
 * when loaded from environments/): the first to claim a thing owns it, and every later claim is
 * reported at the later environment's own path, naming the owner and its path.
 */
export interface CrossEnvironmentRule {
  readonly id: string;
  readonly check: (environments: readonly EnvironmentEntry[]) => readonly ConfigIssue[];
}

/** Where an environment claims something: `apps.<key>.domains[<i>]`. */
export interface Claim {
  readonly file: string;
  readonly path: string;
}

/** `staging (apps.api.domains[0])` */
export function describeClaim(claim: Claim): string {
  return `${claim.file} (${claim.path})`;
}

/** Every custom hostname of an environment with its path, in config order. */
export function domainsOf(config: EnvironmentConfig): { appKey: string; hostname: string; path: string }[] {
  return Object.entries(config.apps).flatMap(([appKey, app]) =>
    (app.domains ?? []).map((hostname, i) => ({ appKey, hostname, path: `apps.${appKey}.domains[${i}]` })),
  );
}
