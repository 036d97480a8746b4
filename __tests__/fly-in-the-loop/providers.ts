import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import versions from "../../providers/versions.json";

/** Where the providers of a Fly-in-the-loop run come from. */
export interface LoopProviders {
  /** Terraform CLI configuration to use; undefined: the registry (FLYSTACK_PROVIDERS_FROM_REGISTRY=1). */
  readonly rc?: string;
  /** Whether the double (not the real ampbase-io/fly and hashicorp/null) serves Fly and null resources. */
  readonly double: boolean;
  /** The Cloudflare provider's version when DNS records are part of the run; undefined: left out. */
  readonly cloudflareVersion?: string;
  /** Why DNS records are left out, when they are. */
  readonly dnsLeftOut?: string;
}

function cacheDir(): string {
  return process.env.FLYSTACK_CACHE_DIR ?? path.join(os.homedir(), ".cache", "flystack");
}

function platform(): string {
  const arch = process.arch === "x64" ? "amd64" : process.arch;
  return `${process.platform}_${arch}`;
}

function binaryIn(mirror: string, source: string, version: string): string {
  const type = source.split("/")[1];
  return path.join(mirror, "registry.terraform.io", source, version, platform(), `terraform-provider-${type}_v${version}`);
}

/**
 * The providers for the Fly-in-the-loop tests, with a CLI configuration written into `workDir`:
 * - ampbase-io/fly and hashicorp/null from the provider double's mirror (scripts/build-provider-double.sh);
 * - cloudflare/cloudflare from the real-provider mirror (npm run providers:mirror) when it holds it
 *   (the pin or the substitute versions.json names); otherwise DNS records are left out, and the
 *   returned `dnsLeftOut` says why.
 * Returns undefined, after a visible SKIPPED message, when the double is not built; with
 * FLYSTACK_REQUIRE_DOUBLE=1 (.ci/run, after building it) that is an error instead.
 * With FLYSTACK_PROVIDERS_FROM_REGISTRY=1 (a machine that reaches the registry) every provider is the
 * registry's real one at exactly the pinned version, and no CLI configuration is written.
 */
export function loopProviders(workDir: string): LoopProviders | undefined {
  if (process.env.FLYSTACK_PROVIDERS_FROM_REGISTRY === "1") {
    return { double: false, cloudflareVersion: versions.cloudflare.version };
  }
  const cache = cacheDir();
  const doubleMirror = path.join(cache, "double-mirror");
  const needed = [binaryIn(doubleMirror, versions.fly.source, versions.fly.version), binaryIn(doubleMirror, versions.null.source, versions.null.version)];
  const missing = needed.filter((file) => !fs.existsSync(file));
  if (missing.length > 0) {
    const why = `the Fly-in-the-loop tests need the provider double (${missing.join(", ")} is missing): run bash scripts/build-provider-double.sh`;
    if (process.env.FLYSTACK_REQUIRE_DOUBLE === "1") throw new Error(`FLYSTACK_REQUIRE_DOUBLE=1 but ${why}`);
    console.warn(`SKIPPED: ${why}`);
    return undefined;
  }

  const realMirror = path.join(cache, "terraform-mirror");
  const cf = versions.cloudflare;
  const cloudflareVersion = [cf.version, cf.mirrorSubstitute.version].find((v) => fs.existsSync(binaryIn(realMirror, cf.source, v)));
  // One mirror for the run, linking the providers it uses under both registry hosts: terraform reads
  // `ampbase-io/fly` as registry.terraform.io/ampbase-io/fly, OpenTofu as registry.opentofu.org/….
  const mirror = path.join(workDir, "mirror");
  const linked: [string, string, string][] = [
    [doubleMirror, versions.fly.source, versions.fly.version],
    [doubleMirror, versions.null.source, versions.null.version],
    ...(cloudflareVersion ? ([[realMirror, cf.source, cloudflareVersion]] as [string, string, string][]) : []),
  ];
  const includes: string[] = [];
  for (const host of ["registry.terraform.io", "registry.opentofu.org"]) {
    for (const [from, source, version] of linked) {
      const binary = binaryIn(from, source, version);
      const link = path.join(mirror, host, path.relative(path.join(from, "registry.terraform.io"), binary));
      fs.mkdirSync(path.dirname(link), { recursive: true });
      fs.symlinkSync(binary, link);
      includes.push(`${host}/${source}`);
    }
  }
  const rc = path.join(workDir, "terraformrc");
  fs.writeFileSync(
    rc,
    `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ${JSON.stringify(includes)}\n  }\n  direct {\n    exclude = ["registry.terraform.io/*/*", "registry.opentofu.org/*/*"]\n  }\n}\n`,
  );
  return {
    rc,
    double: true,
    cloudflareVersion,
    dnsLeftOut: cloudflareVersion
      ? undefined
      : `the real ${cf.source} provider is not in the mirror (${path.dirname(binaryIn(realMirror, cf.source, cf.mirrorSubstitute.version))}; its first build takes about an hour: FLYSTACK_MIRROR_SLOW=1 npm run providers:mirror), so the stacks run with their Cloudflare DNS records left out and the fake Fly API treats every certificate's DNS as in place`,
  };
}

/**
 * A Terraform CLI configuration (written into `workDir`) for stacks synthesized as `flystack plan`
 * synthesizes them, Cloudflare provider included, whose environments have no custom domain: the
 * double's fly and null providers, and the double's null provider standing in for
 * cloudflare/cloudflare at the pinned version. Such a stack has no Cloudflare resource and an empty
 * Cloudflare provider block, which the null provider's schema accepts; the real Cloudflare provider
 * takes an hour to build. Needs the double (loopProviders says whether it is built).
 */
export function standInCloudflareRc(workDir: string): string {
  const doubleMirror = path.join(cacheDir(), "double-mirror");
  const nullBinary = binaryIn(doubleMirror, versions.null.source, versions.null.version);
  const links: [string, string, string][] = [
    [versions.fly.source, versions.fly.version, binaryIn(doubleMirror, versions.fly.source, versions.fly.version)],
    [versions.null.source, versions.null.version, nullBinary],
    [versions.cloudflare.source, versions.cloudflare.version, nullBinary],
  ];
  const mirror = path.join(workDir, "standin-mirror");
  for (const [source, version, target] of links) {
    const link = binaryIn(mirror, source, version);
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.rmSync(link, { force: true });
    fs.symlinkSync(target, link);
  }
  const rc = path.join(workDir, "standin.terraformrc");
  const includes = links.map(([source]) => `registry.terraform.io/${source}`);
  fs.writeFileSync(rc, `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ${JSON.stringify(includes)}\n  }\n  direct {\n    exclude = ["registry.terraform.io/*/*"]\n  }\n}\n`);
  return rc;
}
