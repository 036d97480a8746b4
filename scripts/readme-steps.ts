/**
 * Does what the README's "Add an app, a domain, an environment" section tells a team to do, to a
 * copy of this repository, then runs the one command the README says to run after such a change
 * (`bin/flystack generate`) and the test suite there. CI runs it: a team's first edit must keep
 * `npm test` green. The app is the README's own code block, so README and check cannot drift apart.
 *
 *   npx tsx scripts/readme-steps.ts            # progress on stderr; exits with npm test's code
 *   npx tsx scripts/readme-steps.ts --keep     # keep the copy and print its path
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const root = path.join(__dirname, "..");
const say = (line: string) => process.stderr.write(`readme-steps: ${line}\n`);

function fail(message: string): never {
  say(`error: ${message}`);
  process.exit(1);
}

/** The TypeScript block of the README's "An app" step. */
function readmeAppBlock(readme: string): string {
  const step = readme.indexOf("- **An app**");
  const block = step < 0 ? null : /```ts\n([\s\S]*?)```/.exec(readme.slice(step));
  if (!block) fail('README.md has no "- **An app**" step with a ```ts block');
  return block[1].replace(/^ {2}/gm, "");
}

function run(command: string, args: string[], cwd: string): number {
  say(`$ ${[command, ...args].join(" ")}`);
  const result = spawnSync(command, args, { cwd, stdio: ["ignore", "inherit", "inherit"], env: process.env });
  return result.status ?? 1;
}

function copyProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-readme-steps-"));
  const skip = new Set(["node_modules", ".git", "cdktf.out", "plans", ".terraform"]);
  for (const entry of fs.readdirSync(root)) {
    // Times kept: dist/ (built by npm ci) stays current in the copy, so bin/flystack runs it, as the README's.
    if (!skip.has(entry)) fs.cpSync(path.join(root, entry), path.join(dir, entry), { recursive: true, preserveTimestamps: true });
  }
  fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

function main(): void {
  const keep = process.argv.includes("--keep");
  const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
  const appBlock = readmeAppBlock(readme);
  const appKey = /^(\w+):/.exec(appBlock.trim())?.[1] ?? fail("the README's app block does not start with `<key>: {`");
  const project = copyProject();
  say(`working in a copy: ${project}`);

  const envDir = path.join(project, "environments");
  const envFiles = fs.readdirSync(envDir).filter((f) => f.endsWith(".ts") && !f.startsWith("_")).sort();
  if (envFiles.length === 0) fail("environments/ holds no environment file");
  const target = path.join(envDir, envFiles[0]);
  let text = fs.readFileSync(target, "utf8");

  // 1. An app: the README's block, under `apps`.
  const apps = text.indexOf("apps: {");
  if (apps < 0) fail(`${envFiles[0]} has no \`apps: {\``);
  const zone = /zone:\s*"([^"]+)"/.exec(text)?.[1] ?? fail(`${envFiles[0]} has no dns zone`);
  // 2. A domain: a hostname in the environment's zone, in that app's `domains`.
  const withDomain = appBlock.replace(/(\n(\s*)name:\s*"[^"]+",)/, `$1\n$2domains: ["${appKey}.${zone}"],`);
  text = `${text.slice(0, apps + "apps: {".length)}\n    ${withDomain.trim().replace(/\n/g, "\n    ")}${text.slice(apps + "apps: {".length)}`;
  if (/\bhttpService\(/.test(appBlock) && !/\bhttpService\b/.test(text.slice(0, apps))) {
    text = `import { httpService } from "./_presets";\n${text}`;
  }
  fs.writeFileSync(target, text);
  say(`added app "${appKey}" with domain ${appKey}.${zone} to environments/${envFiles[0]}`);

  // 3. An environment, with the README's command.
  const source = path.basename(envFiles[envFiles.length - 1], ".ts");
  if (run("bin/flystack", ["new", "env", "readme-qa", "--from", source, "--subdomain", "readme-qa"], project) !== 0) fail("flystack new env failed");

  // The one command the README gives after such a change, then the tests.
  if (run("bin/flystack", ["generate"], project) !== 0) fail("flystack generate failed");
  const code = run("npm", ["test", "--", "--ci"], project);
  if (keep) say(`kept ${project}`);
  else fs.rmSync(project, { recursive: true, force: true });
  say(code === 0 ? "npm test passed after the README's steps" : `npm test failed (exit ${code}) after the README's steps`);
  process.exit(code);
}

main();
