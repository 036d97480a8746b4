import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import versions from "../../providers/versions.json";

export interface MirroredProvider {
  /** The Terraform CLI configuration that installs from the mirror; undefined: the registry. */
  readonly rc?: string;
  /** The version in the mirror: the pin, or the substitute versions.json names when the pin is not served. */
  readonly version: string;
}

/**
 * The Cloudflare provider as `npm run providers:mirror` left it (or, with
 * FLYSTACK_PROVIDERS_FROM_REGISTRY=1, the registry's), or undefined (with a visible message) when
 * the mirror does not have it. With FLYSTACK_REQUIRE_MIRROR=1 a missing provider
 * fails instead: `.ci/run` sets it when the mirror script reports the provider built or up to date.
 */
export function mirroredCloudflare(): MirroredProvider | undefined {
  // On a machine that reaches the Terraform registry: its providers, at exactly the pinned version.
  if (process.env.FLYSTACK_PROVIDERS_FROM_REGISTRY === "1") return { version: versions.cloudflare.version };
  const cache = process.env.FLYSTACK_CACHE_DIR ?? path.join(os.homedir(), ".cache", "flystack");
  const rc = path.join(cache, "terraformrc");
  const pin = versions.cloudflare;
  const candidates = [pin.version, pin.mirrorSubstitute.version];
  const binary = (version: string) =>
    path.join(cache, "terraform-mirror", "registry.terraform.io", pin.source, version, "linux_amd64", `terraform-provider-cloudflare_v${version}`);
  const version = candidates.find((v) => fs.existsSync(binary(v)));
  if (fs.existsSync(rc) && version) return { rc, version };
  const why = `the real-provider tests need ${pin.source} ${candidates.join(" or ")} in the mirror (${path.dirname(binary(pin.version))}): run npm run providers:mirror`;
  if (process.env.FLYSTACK_REQUIRE_MIRROR === "1") throw new Error(`FLYSTACK_REQUIRE_MIRROR=1 but ${why}`);
  console.warn(`SKIPPED: ${why}`);
  return undefined;
}
