import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildAppFromSources } from "../main";
import { loopEnvironment } from "./fixtures/environments";

/**
 * A snapshot of exactly what synthesis writes for environments the test owns (an unprotected and a
 * protected one), so a reviewer sees every change the constructs make to the generated Terraform in
 * the diff. (The shipped environments are a team's to change: they are held by invariants and the
 * stateful-address lock instead.) Scrubbed of what varies between runs and
 * machines: the cdktf version stamp and the output folder.
 */
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-snapshot-"));
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

function scrub(text: string): string {
  const json = JSON.parse(text.split(outdir).join("<outdir>")) as { "//"?: { metadata?: { version?: string } } };
  if (json["//"]?.metadata?.version) json["//"].metadata.version = "<cdktf-version>";
  return JSON.stringify(json, null, 2);
}

describe("synthesized Terraform", () => {
  const { app, environments } = buildAppFromSources(
    [loopEnvironment("snapshot"), loopEnvironment("guarded", { protected: true })].map((value) => ({ name: value.name, value })),
    { outdir },
  );
  app.synth();

  test.each(environments.map((e) => e.name))("%s matches its snapshot", (name) => {
    const file = path.join(outdir, "stacks", name, "cdk.tf.json");
    expect(scrub(fs.readFileSync(file, "utf8"))).toMatchSnapshot();
  });
});
