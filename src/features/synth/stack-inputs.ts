/**
 * What one stack's synthesis reads, as a digest. A per-environment stack reads its whole
 * environment. A per-app stack (`stacks: "per-app"`) reads its own app and the environment's own
 * settings (name, project, org, DNS, state, protection, accepted drift, monitoring…), never
 * another app; the monitoring app's stack reads every app (it scrapes them all). Equal digests under
 * the same code fingerprint (./code-fingerprint.ts) mean equal cdk.tf.json: what lets a pull request
 * that changes one app of 10,000 synthesize only that app's stack (__tests__/synth/incremental.test.ts
 * holds incremental synthesis to a full one, byte for byte).
 */
import { createHash } from "node:crypto";
import type { EnvironmentConfig } from "../../config/types";
import { MONITORING_APP_KEY } from "../../config/monitoring";

/** Settings of a synthesis that reach every stack (main.ts BuildAppOptions: API URLs, a state override). */
export type SynthesisSettings = Readonly<Record<string, unknown>>;

/** The part of `environment` that the stack of `app` (or, without one, the environment's single stack) reads. */
export function stackInputs(environment: EnvironmentConfig, app?: string): unknown {
  if (app === undefined || app === MONITORING_APP_KEY) return environment;
  const { apps, ...settings } = environment;
  return { ...settings, apps: { [app]: apps[app] } };
}

/** sha256 of the code fingerprint, the stack's name, its inputs and the run's settings, as canonical JSON. */
export function stackInputDigest(code: string, stack: string, inputs: unknown, settings: SynthesisSettings): string {
  return createHash("sha256")
    .update(canonicalJson({ code, stack, inputs, settings }))
    .digest("hex");
}

/** JSON with object keys sorted and undefined members left out, so equal values print alike. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v,
  );
}
