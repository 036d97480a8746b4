import { Testing } from "cdktf";
import { EnvironmentStack } from "../../stacks/environment-stack";
import type { EnvironmentConfig, StateConfig } from "../../src/config/types";
import staging from "../../environments/staging";

function terraformBlock(state: StateConfig): Record<string, unknown> {
  const env: EnvironmentConfig = { ...staging, state };
  const stack = new EnvironmentStack(Testing.app({ stackTraces: false }), "staging", { environment: env });
  return (JSON.parse(Testing.synth(stack)) as { terraform: Record<string, unknown> }).terraform;
}

describe("state backends", () => {
  test("S3-compatible: encrypted, S3-native lock file, key <project>/<environment>/<stack>.tfstate, custom endpoint", () => {
    const tf = terraformBlock({ backend: "s3", bucket: "state", endpoint: "https://fly.storage.tigris.dev" });
    expect(tf.backend).toEqual({
      s3: {
        bucket: "state",
        key: "acme/staging/staging.tfstate",
        region: "auto",
        encrypt: true,
        use_lockfile: true,
        endpoints: { s3: "https://fly.storage.tigris.dev" },
        skip_credentials_validation: true,
        skip_region_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: true,
        skip_s3_checksum: true,
        use_path_style: true,
      },
    });
  });

  test("AWS S3 itself: no endpoint override and no skipped checks, still encrypted and locked", () => {
    const tf = terraformBlock({ backend: "s3", bucket: "state", region: "eu-west-1" });
    expect(tf.backend).toEqual({ s3: { bucket: "state", key: "acme/staging/staging.tfstate", region: "eu-west-1", encrypt: true, use_lockfile: true } });
  });

  test("HCP Terraform: one workspace per stack", () => {
    const tf = terraformBlock({ backend: "hcp", organization: "acme" });
    expect(tf.cloud).toEqual({ hostname: "app.terraform.io", organization: "acme", workspaces: { name: "acme-staging-staging" } });
    expect(tf.backend).toBeUndefined();
  });

  test("local state only when asked for, outside cdktf.out by default", () => {
    expect(terraformBlock({ backend: "local" }).backend).toEqual({ local: { path: "../../../.state/acme/staging/staging.tfstate" } });
    expect(terraformBlock({ backend: "local", directory: "/srv/state" }).backend).toEqual({ local: { path: "/srv/state/acme/staging/staging.tfstate" } });
  });
});
