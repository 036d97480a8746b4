/**
 * docs/runbook.md, "## A drift issue" and "## Roll back", walked end to end with real terraform, the
 * provider double and the fake Fly API: the commands are read from the runbook itself and run
 * through the flystack CLI, after these edits only:
 * - `bin/flystack` dropped; `production` (and drift.yml's `"$STACK"`, unquoted) replaced by this test's environment name;
 *   `FLY_API_TOKEN=… ` dropped (the loop sets the token); `--skip-synth` added to plan and drift
 *   (the loop synthesizes, with the providers pointed at the fakes);
 * - `git …` runs for real in a throwaway repository holding the environment file (as
 *   `export default <JSON>;`), from which the loop synthesizes; `git revert` gets `--no-edit`;
 * - `fly machine …` (flyctl, which cannot run here) is emulated on the fake Fly API: `list` reads
 *   its machines, `update --image` is the fake's out-of-band update (what flyctl does through the
 *   Machines API: a new config, outside Terraform).
 * Every command of the two sections must be run by some step: a command added to them later fails
 * the last test until a step runs it.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { describeEachBinary, realBinaries } from "../cli/harness";
import { loopProviders } from "./providers";
import { Loop, plannedActions } from "./loop";
import { IMAGE_V1, IMAGE_V2, type LoopEnvironment, loopEnvironment } from "../fixtures/environments";
import type { StackDrift } from "../../src/features/drift/report";
import type { AcceptedDriftConfig } from "../../src/config/types";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-loop-rb-"));
const providers = loopProviders(work);
const binaries = providers ? realBinaries().filter((b) => b.name === "terraform") : [];
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

jest.setTimeout(180_000);

const NAME = "runbook";
const RUNBOOK = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "runbook.md"), "utf8");

/** The text of a `## ` section of the runbook, up to the next one. */
function section(heading: string): string {
  const start = RUNBOOK.indexOf(`\n## ${heading}\n`);
  if (start === -1) throw new Error(`docs/runbook.md has no section "## ${heading}"`);
  const end = RUNBOOK.indexOf("\n## ", start + 1);
  return RUNBOOK.slice(start, end === -1 ? undefined : end);
}

/** A command the runbook tells one to run (not `fly deploy`, which it advises against). */
const COMMAND = /^(FLY_API_TOKEN=\S+ )?bin\/flystack |^git (revert|log) |^fly machine /;

/**
 * The commands of a section: the lines of its fenced blocks (without `# comments`) and its inline
 * code spans that look like a command. A span that is only the start of another command of the
 * section (`fly machine update` in a sentence) is a mention, not a command.
 */
function commandsOf(text: string): string[] {
  const found: string[] = [];
  const prose = text.replace(/```[a-z]*\n([\s\S]*?)```/g, (_, body: string) => {
    for (const line of body.split("\n")) found.push(line.replace(/\s+#.*$/, "").trim());
    return "";
  });
  for (const m of prose.matchAll(/`([^`\n]+)`/g)) found.push(m[1].trim());
  const commands = [...new Set(found.filter((c) => COMMAND.test(c)))];
  return commands.filter((c) => !commands.some((other) => other !== c && other.startsWith(`${c} `)));
}

const SECTIONS = { rollBack: commandsOf(section("Roll back")), driftIssue: commandsOf(section("A drift issue")) };
const exercised = new Set<string>();

/** The one command of the section that starts with `prefix` (after any FLY_API_TOKEN=…), marked as exercised. */
function runbookCommand(commands: readonly string[], prefix: string): string {
  const matching = commands.filter((c) => c.replace(/^FLY_API_TOKEN=\S+ /, "").startsWith(prefix));
  if (matching.length !== 1) throw new Error(`the runbook section should have exactly one command starting "${prefix}"; it has ${JSON.stringify(matching)}`);
  exercised.add(matching[0]);
  return matching[0];
}

/** A runbook `bin/flystack …` command as the loop runs it. */
function flystackArgs(command: string): string[] {
  const text = command.replace(/^FLY_API_TOKEN=\S+ /, "");
  if (!text.startsWith("bin/flystack ")) throw new Error(`not a flystack command: ${command}`);
  const args = text
    .slice("bin/flystack ".length)
    .replace(/\$\{stacks\[@\]\}|\$STACK|\$BATCH|\bproduction\b/g, NAME)
    .replace(/"/g, "")
    .split(/\s+/);
  if ((args[0] === "plan" || args[0] === "drift") && !args.includes("--skip-synth")) args.push("--skip-synth");
  return args;
}

const WEB_MACHINES = ["iad_1", "iad_2", "lhr_1", "lhr_2"].map((m) => `fly_machine.web_web_${m}`);
const MACHINE = WEB_MACHINES[0];
const VOLUME = "fly_volume.db_pg_iad_1";
/** The web group's release command (`bin/migrate`), run by the stand-in flyctl on each image change. */
const RELEASE = "null_resource.web_web_release";
const IMAGE_CHANGE = [...WEB_MACHINES.map((m) => [m, ["update"]]), [RELEASE, ["delete", "create"]]];
const ENV_FILE = `environments/${NAME}.ts`;

describeEachBinary(binaries, "$name, the provider double and the fake Fly API: the runbook's drift and rollback procedures", ({ binary }) => {
  const loop = new Loop({ binary, providers: providers!, startDelayMs: 5 });
  const repo = path.join(work, "repo");
  const web = loopEnvironment(NAME).apps.web.name;
  const webMachines = () => loop.fly.machinesOf(web).sort((a, b) => a.name!.localeCompare(b.name!));
  const byAddress = (address: string) => loop.fly.machinesOf(web).find((m) => m.name === `${web}-${address.replace("fly_machine.web_", "").replace(/_/g, "-")}`)!;
  // What plan and drift get: no secret (they need none), flystack's Fly client on the fake.
  const apiEnv = () => ({ ...loop.withoutSecrets(), FLYSTACK_FLY_API_RETRY_BASE_MS: "10", FLYSTACK_FLY_API_TIMEOUT_MS: "2000" });
  // What the apply step gets: $SECRETS_JSON as `${{ toJSON(secrets) }}` makes it, and no TF_VAR_* of its own.
  const secretsJson = () => JSON.stringify({ ...Object.fromEntries(Object.entries(loop.env()).filter(([k]) => k.startsWith("TF_VAR_"))), GITHUB_TOKEN: "not-a-tf-var" });

  function git(args: readonly string[]): string {
    const run = spawnSync("git", [...args], {
      cwd: repo,
      encoding: "utf8",
      env: { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1", GIT_AUTHOR_NAME: "runbook", GIT_AUTHOR_EMAIL: "runbook@example.net", GIT_COMMITTER_NAME: "runbook", GIT_COMMITTER_EMAIL: "runbook@example.net" },
    });
    if (run.status !== 0) throw new Error(`git ${args.join(" ")} failed: ${run.stderr}`);
    return run.stdout;
  }
  /** A runbook `git …` command, run in the repository (`<commit>` given; `production` is this environment). */
  function gitCommand(command: string, values: Record<string, string> = {}): string {
    let text = command.replace(/\bproduction\b/g, NAME);
    for (const [placeholder, value] of Object.entries(values)) text = text.replace(placeholder, value);
    if (/<[a-z-]+>/.test(text)) throw new Error(`unfilled placeholder in ${text}`);
    const args = text.split(/\s+/).slice(1);
    return git(args[0] === "revert" ? ["revert", "--no-edit", ...args.slice(1)] : args);
  }
  /** A runbook `fly machine …` command, emulated on the fake Fly API. */
  function flyctl(command: string, values: Record<string, string>): string[] {
    let text = command;
    for (const [placeholder, value] of Object.entries(values)) text = text.replace(placeholder, value);
    if (/<[a-z-]+>/.test(text)) throw new Error(`unfilled placeholder in ${text}`);
    const args = text.split(/\s+/).slice(2);
    const flag = (name: string) => args[args.indexOf(name) + 1];
    const app = flag("--app");
    if (args[0] === "list") return loop.fly.machinesOf(app).map((m) => m.id!);
    if (args[0] === "update" && args.includes("--yes")) {
      const id = args[1];
      expect(loop.fly.machine(id)?.name).toContain(app);
      loop.fly.updateMachineOutOfBand(id, { image: flag("--image") });
      return [id];
    }
    throw new Error(`no emulation for ${command}`);
  }

  const releases = () => (fs.existsSync(loop.flyctlLog) ? fs.readFileSync(loop.flyctlLog, "utf8").trim().split("\n") : []);
  /** The release hook's flyctl call: the image, the app, its env and size, then `--` and the command. */
  const releaseWith = (image: string) => expect.stringMatching(new RegExp(`^machine run ${image.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} --app ${web} --region iad --rm( --env \\S+)* --env RELEASE_COMMAND=1 --vm-cpu-kind shared --vm-cpus 1 --vm-memory \\d+ -- bin/migrate$`));
  const environmentFile = () => JSON.parse(fs.readFileSync(path.join(repo, ENV_FILE), "utf8").replace(/^export default /, "").replace(/;\s*$/, "")) as LoopEnvironment;
  function commit(env: LoopEnvironment, message: string): string {
    fs.writeFileSync(path.join(repo, ENV_FILE), `export default ${JSON.stringify(env, null, 2)};\n`);
    git(["add", ENV_FILE]);
    git(["commit", "-q", "-m", message]);
    return git(["rev-parse", "HEAD"]).trim();
  }
  /** What the pipeline does with the checked-out code: synthesize, plan, apply. Returns the plan's changes. */
  async function deploy(): Promise<Map<string, string[]>> {
    loop.synthesize([environmentFile()]);
    const planned = await loop.flystack(["plan", NAME, "--skip-synth", "--out", "deploy"], apiEnv());
    expect(planned.code).toBe(0);
    const applied = await loop.flystack(["apply", "--plans", "deploy", NAME]);
    expect([applied.code, applied.stderr]).toEqual([0, expect.any(String)]);
    return changed(await plannedActions(loop, NAME, "deploy"));
  }
  /** A machine's image before and after, in plans/<stack>.plan.json. */
  function imageChange(address: string): [string | undefined, string | undefined] {
    const json = JSON.parse(fs.readFileSync(path.join(loop.project, "plans", `${NAME}.plan.json`), "utf8")) as { resource_changes: { address: string; change: { before: { image?: string }; after: { image?: string } } }[] };
    const { change } = json.resource_changes.find((c) => c.address === address)!;
    return [change.before.image, change.after.image];
  }
  /** The resources a plan does something to (no-ops left out). */
  const changed = (actions: Map<string, string[]>) => new Map([...actions].filter(([, a]) => a.join() !== "no-op"));
  async function applyWithSecrets(): Promise<void> {
    const command = runbookCommand(SECTIONS.driftIssue, "bin/flystack with-secrets ");
    const applied = await loop.flystack(flystackArgs(command), { ...loop.withoutSecrets(), SECRETS_JSON: secretsJson() });
    expect([applied.code, applied.stderr]).toEqual([0, expect.stringContaining("with-secrets: passing 2 of 2 declared secrets to flystack apply")]);
  }
  /** drift.yml's command: exit code, the JSON, the report. */
  async function driftRun(): Promise<{ code: number; stack: StackDrift; report: string }> {
    const args = flystackArgs(runbookCommand(SECTIONS.driftIssue, 'bin/flystack drift "${stacks[@]}"'));
    expect(args).toEqual(["drift", NAME, "--skip-synth", "--parallel", "8", "--require-audit", "--report", `drift-${NAME}.md`, "--json"]);
    const run = await loop.flystack(args, apiEnv());
    const { stacks } = JSON.parse(run.stdout) as { stacks: StackDrift[] };
    return { code: run.code, stack: stacks[0], report: fs.readFileSync(path.join(loop.project, `drift-${NAME}.md`), "utf8") };
  }

  beforeAll(async () => {
    await loop.start();
    fs.mkdirSync(path.join(repo, "environments"), { recursive: true });
    git(["init", "-q"]);
    const env = loopEnvironment(NAME);
    env.apps.web.groups.web.release = { command: ["bin/migrate"] };
    commit(env, "add the environment");
    expect((await deploy()).size).toBeGreaterThan(0);
    expect(webMachines().map((m) => m.config!.image)).toEqual([IMAGE_V1, IMAGE_V1, IMAGE_V1, IMAGE_V1]);
  });
  afterAll(() => loop.stop());

  test("the sections hold the commands this test runs, and drift.yml's command is the one the runbook names", () => {
    expect(SECTIONS.rollBack.length).toBeGreaterThan(0);
    expect(SECTIONS.driftIssue.length).toBeGreaterThan(0);
    const workflow = fs.readFileSync(path.join(__dirname, "..", "..", ".github", "workflows", "drift.yml"), "utf8");
    const inWorkflow = /^\s*(bin\/flystack drift .*?)(\s*>.*)?$/m.exec(workflow)?.[1];
    expect(inWorkflow).toBe(runbookCommand(SECTIONS.driftIssue, 'bin/flystack drift "${stacks[@]}"'));
  });

  test("drift issue, put it back: an image changed with flyctl; drift names it, the reconcile plan replaces that machine, with-secrets applies it, drift is clean", async () => {
    loop.fly.updateMachineOutOfBand(byAddress(MACHINE).id!, { image: IMAGE_V2 });

    const found = await driftRun();
    expect(found.code).toBe(2);
    expect(found.stack.audit?.findings).toEqual([expect.objectContaining({ app: web, resource: MACHINE, field: "image", actual: IMAGE_V2, severity: "drift" })]);
    // Terraform's refresh reads back the image's digest, not the image: "Changed outside Terraform"
    // names the machine's image_digest; the normal plan shows nothing to do.
    expect({ drift: found.stack.drift, pending: found.stack.pending }).toEqual({ drift: [{ address: MACHINE, type: "fly_machine", actions: ["update"], attributes: ["image_digest"] }], pending: [] });
    expect(found.report).toMatch(new RegExp(`\\| drift \\| \`${web}\` \\| \`${MACHINE}\` \\| \`image\` \\|`));

    // The runbook's `plan --reconcile`, with no secret (plans need none).
    const plan = await loop.flystack(flystackArgs(runbookCommand(SECTIONS.driftIssue, "bin/flystack plan ")), apiEnv());
    expect(plan.code).toBe(0);
    expect(plan.stderr).toContain(`reconcile: replacing ${MACHINE}: image: ${IMAGE_V2} (declared ${IMAGE_V1})`);
    const actions = changed(await plannedActions(loop, NAME, "plans"));
    expect([...actions]).toEqual([[MACHINE, ["delete", "create"]]]);
    const summary = JSON.parse(fs.readFileSync(path.join(loop.project, "plans", "summary.json"), "utf8")) as { stacks: { summary: { counts: Record<string, number> } }[] };
    expect(summary.stacks[0].summary.counts).toMatchObject({ create: 0, update: 0, delete: 0, replace: 1 });

    await applyWithSecrets();
    expect(byAddress(MACHINE).config!.image).toBe(IMAGE_V1);
    const after = await driftRun();
    expect([after.code, after.stack.status, after.stack.audit?.status]).toEqual([0, "clean", "clean"]);
  });

  test("drift issue, accept: the runbook's acceptedDrift entry (env DEBUG=1 on one machine) makes drift exit 0, listed as accepted", async () => {
    const snippet = /acceptedDrift: (\[[\s\S]*?\]),/.exec(section("A drift issue"))?.[1];
    // The runbook's entry exactly, but a far expiry date: the example's date passes some day.
    const entries = new Function(`return ${snippet}`)() as AcceptedDriftConfig[];
    expect(entries).toEqual([{ address: MACHINE, field: "env", reason: expect.any(String), expires: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) }]);
    const machine = byAddress(MACHINE);
    loop.fly.updateMachineOutOfBand(machine.id!, { env: { ...machine.config!.env, DEBUG: "1" } });

    const found = await driftRun();
    expect(found.code).toBe(2);
    expect(found.stack.audit?.findings).toEqual([expect.objectContaining({ resource: MACHINE, field: "env", actual: "added DEBUG" })]);

    const env = environmentFile();
    env.acceptedDrift = entries.map((e) => ({ ...e, expires: "2099-12-31" }));
    commit(env, "accept DEBUG=1 on one machine for a while");
    loop.synthesize([environmentFile()]);
    // `bin/flystack drift production`: the Markdown report on stdout.
    const accepted = await loop.flystack(flystackArgs(runbookCommand(SECTIONS.driftIssue, "bin/flystack drift production")), apiEnv());
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toContain("### Fly audit: clean");
    expect(accepted.stdout).toContain("### Accepted audit findings (1)");
    expect(accepted.stdout).toContain(entries[0].reason);
    // --reconcile keeps what is accepted.
    const reconcile = await loop.flystack(flystackArgs(runbookCommand(SECTIONS.driftIssue, "bin/flystack plan ")), apiEnv());
    expect(reconcile.code).toBe(0);
    expect(reconcile.stderr).toContain(`reconcile: keeping ${MACHINE} env: accepted until 2099-12-31`);
    expect(reconcile.stderr).toContain("reconcile: no machine differs from the code");
    expect([...changed(await plannedActions(loop, NAME, "plans"))]).toEqual([]);
  });

  test("drift issue, adopt: edited to say what runs, a Terraform drift plans no change but a machine audit finding plans an update of its machine", async () => {
    // DEBUG=1 on the rest of the group too, and the volume grown with flyctl.
    for (const m of webMachines()) if (m.config!.env?.DEBUG !== "1") loop.fly.updateMachineOutOfBand(m.id!, { env: { ...m.config!.env, DEBUG: "1" } });
    const volume = loop.fly.volumesOf(loopEnvironment(NAME).apps.db.name)[0];
    loop.fly.resizeVolumeOutOfBand(volume.id!, 4);

    // A volume grown outside Terraform fails the normal plan (the provider refuses to shrink it back):
    // drift exits 1 until the code says the new size. The audit still names the findings (iad-1's env is accepted).
    const found = await driftRun();
    expect([found.code, found.stack.status]).toEqual([1, "error"]);
    expect(found.stack.error).toContain("Cannot Shrink Volume");
    expect(found.stack.audit?.findings.map((f) => [f.resource, f.field])).toEqual([[VOLUME, "size_gb"], ...WEB_MACHINES.slice(1).map((m) => [m, "env"])]);

    // Adopt: the code says what runs now (the acceptance is no longer needed).
    const env = environmentFile();
    env.apps.web.groups.web.env = { ...env.apps.web.groups.web.env, DEBUG: "1" };
    env.apps.db.groups.pg.volume!.sizeGb = 4;
    delete env.acceptedDrift;
    commit(env, "adopt DEBUG=1 and the 4 GB volume");
    loop.synthesize([environmentFile()]);

    const plan = await loop.flystack(["plan", NAME, "--skip-synth", "--out", "plans"], apiEnv());
    expect(plan.code).toBe(0);
    const actions = await plannedActions(loop, NAME, "plans");
    // The volume: the refresh read its size back, so no change. The machines: the state still holds
    // the env Terraform last wrote, so each is updated in place to the env it already runs.
    expect(actions.get(VOLUME)).toEqual(["no-op"]);
    expect([...changed(actions)]).toEqual(WEB_MACHINES.map((m) => [m, ["update"]]));

    await applyWithSecrets();
    expect(webMachines().map((m) => m.config!.env?.DEBUG)).toEqual(["1", "1", "1", "1"]);
    const after = await driftRun();
    expect([after.code, after.stack.status, after.stack.audit?.status]).toEqual([0, "clean", "clean"]);
  });

  test("roll back, emergency path: flyctl puts the previous image back, drift names every machine, the revert plans their update back to it, drift is clean", async () => {
    const env = environmentFile();
    env.apps.web.groups.web.image = IMAGE_V2;
    const bad = commit(env, "web: the bad image");
    expect([...(await deploy())]).toEqual(IMAGE_CHANGE);
    expect(releases().at(-1)).toEqual(releaseWith(IMAGE_V2));
    expect(webMachines().map((m) => m.config!.image)).toEqual([IMAGE_V2, IMAGE_V2, IMAGE_V2, IMAGE_V2]);

    // `<previous-image>` from the environment file's history.
    const history = gitCommand(runbookCommand(SECTIONS.rollBack, "git log -p "));
    const previous = /^-\s+"image": "([^"]+)",?$/m.exec(history)?.[1];
    expect(previous).toBe(IMAGE_V1);

    const ids = flyctl(runbookCommand(SECTIONS.rollBack, "fly machine list "), { "<fly-app-name>": web });
    expect(ids).toHaveLength(4);
    const update = runbookCommand(SECTIONS.rollBack, "fly machine update ");
    for (const id of ids) flyctl(update, { "<machine-id>": id, "<previous-image>": previous!, "<fly-app-name>": web });
    expect(webMachines().map((m) => m.config!.image)).toEqual([IMAGE_V1, IMAGE_V1, IMAGE_V1, IMAGE_V1]);

    // `bin/flystack drift production --report drift-production.md`: exit 2, the audit names each machine and `image`.
    const drift = await loop.flystack(flystackArgs(runbookCommand(SECTIONS.rollBack, "bin/flystack drift ")), apiEnv());
    expect(drift.code).toBe(2);
    const report = fs.readFileSync(path.join(loop.project, `drift-${NAME}.md`), "utf8");
    expect(report).toContain("### Fly audit: 4 findings");
    for (const m of WEB_MACHINES) expect(report).toMatch(new RegExp(`\\| drift \\| \`${web}\` \\| \`${m}\` \\| \`image\` \\|`));
    // Terraform's part: each machine's image_digest changed outside Terraform, nothing pending. So a
    // deploy of the bad commit now (a re-run) plans no change for these machines: the state already
    // holds the bad image.
    const json = await driftRun();
    expect({ drift: json.stack.drift.map((d) => [d.address, d.attributes]), pending: json.stack.pending }).toEqual({ drift: WEB_MACHINES.map((m) => [m, ["image_digest"]]), pending: [] });

    // --reconcile now would put the bad image back: the code still names it.
    const reconcile = await loop.flystack(flystackArgs(runbookCommand(SECTIONS.driftIssue, "bin/flystack plan ")), apiEnv());
    expect(reconcile.code).toBe(0);
    for (const m of WEB_MACHINES) expect(reconcile.stderr).toContain(`reconcile: replacing ${m}: image: ${IMAGE_V1} (declared ${IMAGE_V2})`);
    expect([...changed(await plannedActions(loop, NAME, "plans"))]).toEqual(WEB_MACHINES.map((m) => [m, ["delete", "create"]]));
    expect(WEB_MACHINES.map((m) => imageChange(m)[1])).toEqual(WEB_MACHINES.map(() => IMAGE_V2));

    // Until the revert is applied, a deploy that changes these machines for another reason sends their
    // whole declared config: the bad image is back, though the plan shows only the other change.
    const other = environmentFile();
    other.apps.web.groups.web.env = { ...other.apps.web.groups.web.env, LOG_LEVEL: "info" };
    commit(other, "web: LOG_LEVEL=info");
    loop.synthesize([environmentFile()]);
    expect((await loop.flystack(["plan", NAME, "--skip-synth", "--out", "plans"], apiEnv())).code).toBe(0);
    expect([...changed(await plannedActions(loop, NAME, "plans"))]).toEqual(WEB_MACHINES.map((m) => [m, ["update"]]));
    expect(WEB_MACHINES.map((m) => imageChange(m))).toEqual(WEB_MACHINES.map(() => [IMAGE_V2, IMAGE_V2]));
    await applyWithSecrets();
    expect(webMachines().map((m) => m.config!.image)).toEqual([IMAGE_V2, IMAGE_V2, IMAGE_V2, IMAGE_V2]);
    for (const id of ids) flyctl(update, { "<machine-id>": id, "<previous-image>": previous!, "<fly-app-name>": web });

    // Make the code match what runs: revert the bad commit.
    gitCommand(runbookCommand(SECTIONS.rollBack, "git revert "), { "<commit>": bad });
    expect(environmentFile().apps.web.groups.web.image).toBe(IMAGE_V1);
    loop.synthesize([environmentFile()]);
    const plan = await loop.flystack(["plan", NAME, "--skip-synth", "--out", "plans"], apiEnv());
    expect(plan.code).toBe(0);
    // Not "no change": the state holds the bad image, so each machine is updated in place to the image
    // it already runs, and the release command runs again, with the previous image.
    expect([...changed(await plannedActions(loop, NAME, "plans"))]).toEqual(IMAGE_CHANGE);
    const released = releases().length;
    await applyWithSecrets();
    expect(releases().slice(released)).toEqual([releaseWith(IMAGE_V1)]);
    expect(webMachines().map((m) => m.config!.image)).toEqual([IMAGE_V1, IMAGE_V1, IMAGE_V1, IMAGE_V1]);
    const after = await driftRun();
    expect([after.code, after.stack.status, after.stack.audit]).toEqual([0, "clean", { status: "clean", findings: [] }]);
  });

  test("roll back, normal path: the revert plans the machines back to the previous image, in the group's order; the apply runs it", async () => {
    const env = environmentFile();
    env.apps.web.groups.web.image = IMAGE_V2;
    const bad = commit(env, "web: the bad image, again");
    await deploy();
    expect(webMachines().map((m) => m.config!.image)).toEqual([IMAGE_V2, IMAGE_V2, IMAGE_V2, IMAGE_V2]);

    gitCommand(runbookCommand(SECTIONS.rollBack, "git revert "), { "<commit>": bad });
    loop.synthesize([environmentFile()]);
    const plan = await loop.flystack(["plan", NAME, "--skip-synth", "--out", "plans"], apiEnv());
    expect(plan.code).toBe(0);
    expect([...changed(await plannedActions(loop, NAME, "plans"))]).toEqual(IMAGE_CHANGE);
    expect(WEB_MACHINES.map((m) => imageChange(m))).toEqual(WEB_MACHINES.map(() => [IMAGE_V2, IMAGE_V1]));

    const since = loop.fly.requests.length;
    const released = releases().length;
    await applyWithSecrets();
    expect(releases().slice(released)).toEqual([releaseWith(IMAGE_V1)]);
    expect(webMachines().map((m) => m.config!.image)).toEqual([IMAGE_V1, IMAGE_V1, IMAGE_V1, IMAGE_V1]);
    // One at a time: each machine's update is sent after the one before it was answered (the group's order).
    const ids = new Map(webMachines().map((m) => [m.id!, m.name!]));
    const updates = loop.fly.requests.slice(since).filter((r) => r.method === "POST" && /\/machines\/[^/]+$/.test(r.path));
    expect(updates.map((r) => ids.get(r.path.split("/").pop()!))).toEqual(["iad-1", "iad-2", "lhr-1", "lhr-2"].map((s) => `${web}-web-${s}`));
    for (let i = 1; i < updates.length; i++) expect(updates[i].time).toBeGreaterThan(updates[i - 1].end);
    const after = await driftRun();
    expect([after.code, after.stack.status]).toEqual([0, "clean"]);
  });

  test("every command of the two sections was run by a step", () => {
    expect([...SECTIONS.rollBack, ...SECTIONS.driftIssue].filter((c) => !exercised.has(c))).toEqual([]);
  });
});
