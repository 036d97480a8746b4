/**
 * Before any test: build the Fly provider double (scripts/build-provider-double.sh; cached, about 70 ms
 * when up to date, a minute or so the first time) so that `npm test` runs the Fly-in-the-loop tests
 * on any machine with Go. Without Go those tests skip and say why; a failing build fails the run.
 */
const { spawnSync } = require("node:child_process");
const path = require("node:path");

module.exports = function buildProviderDouble() {
  if (spawnSync("go", ["version"], { encoding: "utf8" }).status !== 0) {
    process.stderr.write("\nNOTE: no Go toolchain on PATH, so the provider double is not built and the Fly-in-the-loop tests skip\n");
    return;
  }
  const script = path.join(__dirname, "..", "scripts", "build-provider-double.sh");
  const built = spawnSync("bash", [script], { encoding: "utf8", stdio: ["ignore", "ignore", "inherit"] });
  if (built.status !== 0) throw new Error(`scripts/build-provider-double.sh failed (exit ${built.status}); see its output above`);
};
