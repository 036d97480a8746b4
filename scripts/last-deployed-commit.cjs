#!/usr/bin/env node
/**
 * The commit to roll back to (deploy.yml, job rollback): the newest deployment to the GitHub
 * environment $ENVIRONMENT whose latest status is "success", other than the failed commit
 * $FAILED_SHA. GitHub records a deployment for every job that runs in an environment, so this is
 * the last commit whose apply to that environment succeeded. Prints its SHA; exits 1, saying why,
 * when there is none (nothing to roll back to: the runbook's way back by hand applies).
 *
 * Reads the REST API ($GITHUB_API_URL, $GITHUB_REPOSITORY, token $GH_TOKEN), newest first, a
 * hundred deployments a page, at most ten pages.
 */
const api = process.env.GITHUB_API_URL || "https://api.github.com";
const repo = process.env.GITHUB_REPOSITORY;
const environment = process.env.ENVIRONMENT;
const failed = process.env.FAILED_SHA || "";

function fail(message) {
  process.stderr.write(`last-deployed-commit: ${message}\n`);
  process.exit(1);
}

async function get(path) {
  const res = await fetch(`${api}${path}`, { headers: { accept: "application/vnd.github+json", authorization: `Bearer ${process.env.GH_TOKEN || ""}`, "x-github-api-version": "2022-11-28" } });
  if (!res.ok) fail(`GET ${path}: ${res.status} ${(await res.text()).slice(0, 200)}`);
  return res.json();
}

async function main() {
  if (!repo || !environment) fail("GITHUB_REPOSITORY and ENVIRONMENT must be set");
  for (let page = 1; page <= 10; page++) {
    const deployments = await get(`/repos/${repo}/deployments?environment=${encodeURIComponent(environment)}&per_page=100&page=${page}`);
    if (!Array.isArray(deployments) || deployments.length === 0) break;
    for (const deployment of deployments) {
      if (deployment.sha === failed) continue;
      const statuses = await get(`/repos/${repo}/deployments/${deployment.id}/statuses?per_page=1`);
      if (Array.isArray(statuses) && statuses[0] && statuses[0].state === "success") {
        process.stdout.write(`${deployment.sha}\n`);
        return;
      }
    }
  }
  fail(`no successful deployment to the environment "${environment}" other than ${failed || "this one"}: nothing to roll back to (docs/runbook.md, "A failed canary")`);
}

main().catch((error) => fail(error instanceof Error ? error.message : String(error)));
