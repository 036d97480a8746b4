import type { CrossEnvironmentRule } from "./rule";
import { uniqueHostnames } from "./unique-hostnames";
import { uniqueDnsRecords } from "./unique-dns-records";

/**
 * Rules run once over every environment that passed the schema, after the per-environment rules.
 * (Fly app names across environments: crossEnvironmentIssues in ../../validate.ts.)
 */
export const CROSS_ENVIRONMENT_RULES: readonly CrossEnvironmentRule[] = [uniqueHostnames, uniqueDnsRecords];

export type { CrossEnvironmentRule, EnvironmentEntry } from "./rule";
