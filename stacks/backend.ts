import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, type TerraformStack } from "cdktf";
import type { StateConfig } from "../src/config/types";

/** `<project>/<environment>/<stack>.tfstate`: one state per stack, never shared. */
export function stateKey(project: string, environment: string, stack: string): string {
  return `${project}/${environment}/${stack}.tfstate`;
}

/**
 * Configures the stack's remote state. S3 (or an S3-compatible store: Tigris, R2, MinIO) always
 * encrypts and locks with S3-native lock files (`use_lockfile`, Terraform 1.10+), with no DynamoDB
 * table. HCP Terraform keeps one workspace per stack. Local state only when the config says so.
 */
export function configureBackend(stack: TerraformStack, state: StateConfig, key: string): void {
  switch (state.backend) {
    case "s3": {
      const custom = state.endpoint !== undefined;
      const backend = new S3Backend(stack, {
        bucket: state.bucket,
        key,
        region: state.region ?? "auto",
        encrypt: true,
        // S3-compatible stores have no AWS account, region list or STS to check against.
        ...(custom
          ? {
              endpoints: { s3: state.endpoint },
              skipCredentialsValidation: true,
              skipRegionValidation: true,
              skipRequestingAccountId: true,
              skipMetadataApiCheck: true,
              skipS3Checksum: true,
              usePathStyle: true,
            }
          : {}),
      });
      // cdktf 0.21 predates S3-native locking and has no property for it.
      backend.addOverride("use_lockfile", true);
      return;
    }
    case "hcp":
      new CloudBackend(stack, {
        hostname: state.hostname ?? "app.terraform.io",
        organization: state.organization,
        workspaces: new NamedCloudWorkspace(key.replace(/\.tfstate$/, "").replace(/\//g, "-")),
      });
      return;
    case "local":
      new LocalBackend(stack, { path: `${state.directory ?? "../../../.state"}/${key}` });
      return;
  }
}
