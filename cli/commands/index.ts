/* eslint-disable @typescript-eslint/no-require-imports -- each command's module is required when it runs, never at start-up */
import type { CommandEntry } from "../command";

/**
 * Every command, in the order `flystack --help` lists them: name and summary here, the module loaded
 * only when that command is chosen (require, not import(): under tsx that would go through the ESM
 * loader). Keep the summaries equal to the commands' own (__tests__/cli/lazy-loading.test.ts checks).
 */
export const COMMANDS: readonly CommandEntry[] = [
  { name: "preview", summary: "Synthesize every environment and show resources, guardrail findings, monthly cost and diagrams (offline)", load: () => (require("./preview") as typeof import("./preview")).preview },
  { name: "plan", summary: "Synthesize, then plan each stack and save the plans for review and apply", load: () => (require("./plan") as typeof import("./plan")).plan },
  { name: "apply", summary: "Apply exactly the saved plans, in stack dependency order", load: () => (require("./apply") as typeof import("./apply")).apply },
  { name: "unseal", summary: 'Decrypt the sealed plan bundle of "flystack plan --encrypt-to" for apply', load: () => (require("./unseal") as typeof import("./unseal")).unseal },
  { name: "budget", summary: "Refuse to deploy an app whose 30-day SLO error budget is spent (unless the commit overrides it)", load: () => (require("./budget") as typeof import("./budget")).budget },
  { name: "canary-gate", summary: "Judge a rolling group's canary by its 5xx ratio and latency against the group's other machines (run by the gate during apply)", load: () => (require("./canary-gate") as typeof import("./canary-gate")).canaryGate },
  { name: "sign", summary: "Sign the sealed plan bundle with the deploy workflow's Ed25519 key, so apply trusts it", load: () => (require("./sign") as typeof import("./sign")).sign },
  { name: "drift", summary: "Detect changes made outside Terraform and code not yet applied", load: () => (require("./drift") as typeof import("./drift")).drift },
  { name: "audit", summary: "Compare what the stacks declare with what Fly's API shows (changes made with flyctl)", load: () => (require("./audit") as typeof import("./audit")).audit },
  { name: "summarize", summary: "Summarize `terraform show -json` plan files, without running Terraform", load: () => (require("./summarize") as typeof import("./summarize")).summarize },
  { name: "check", summary: "Run the guardrails (policy rules FLY001…) and list findings and suppressions", load: () => (require("./check") as typeof import("./check")).check },
  { name: "cost", summary: "Estimate each environment's monthly Fly.io cost, and its change against a git revision", load: () => (require("./cost") as typeof import("./cost")).cost },
  { name: "alerts", summary: "Print the alerting rules and alert routes each environment's monitoring app would run (YAML)", load: () => (require("./alerts") as typeof import("./alerts")).alerts },
  { name: "dashboards", summary: "Write a Grafana dashboard per app (golden signals, SLO budgets) and an overview per environment", load: () => (require("./dashboards") as typeof import("./dashboards")).dashboards },
  { name: "diagram", summary: "Write a Mermaid diagram of each environment: domains → apps → process groups → volumes", load: () => (require("./diagram") as typeof import("./diagram")).diagram },
  { name: "generate", summary: "Regenerate the committed files derived from the environments: diagrams and the stateful-address lock", load: () => (require("./generate") as typeof import("./generate")).generate },
  { name: "stacks", summary: "List the synthesized stacks in deploy order, with environment, protection and secrets (--json: workflow matrix batches)", load: () => (require("./stacks") as typeof import("./stacks")).stacks },
  { name: "setup", summary: "Print the GitHub environments and secrets the workflows need for these stacks", load: () => (require("./setup") as typeof import("./setup")).setup },
  { name: "with-secrets", summary: "Run apply with the TF_VAR_* secrets its stacks declare, taken from $SECRETS_JSON", load: () => (require("./with-secrets") as typeof import("./with-secrets")).withSecrets },
  { name: "new", summary: "Create a new environment file from an existing environment (own app names and hostnames)", load: () => (require("./new") as typeof import("./new")).newCommand },
  { name: "import", summary: "Write existing Fly apps into an environment file, from fly.toml or from the live app", load: () => (require("./import") as typeof import("./import")).importCommand },
  { name: "migrate", summary: "Switch the repository between CDKTF (archived, the default) and CDK Terrain (cdktn), or back", load: () => (require("./migrate") as typeof import("./migrate")).migrate },
  { name: "state", summary: "Move an environment's state into per-app stacks (state pull, state split)", load: () => (require("./state") as typeof import("./state")).state },
];
