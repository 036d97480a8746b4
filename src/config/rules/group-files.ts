import { quote } from "../issue";
import { type ConfigRule, type RuleProblem, groupsOf } from "./rule";

/** A group's files: each path once, and a file held by a secret names a secret the app declares. */
export const groupFiles: ConfigRule = {
  id: "group-files",
  check: (env) =>
    groupsOf(env).flatMap(({ app, group, path }) => {
      const problems: RuleProblem[] = [];
      const seen = new Set<string>();
      (group.files ?? []).forEach((file, i) => {
        if (seen.has(file.guestPath)) problems.push({ path: `${path}.files[${i}].guestPath`, message: `${quote(file.guestPath)} is written twice; each path once` });
        seen.add(file.guestPath);
        if (file.secretName !== undefined && !Object.hasOwn(app.secrets ?? {}, file.secretName)) {
          const declared = Object.keys(app.secrets ?? {});
          problems.push({ path: `${path}.files[${i}].secretName`, message: `${quote(file.secretName)} is not a secret of this app; declared: ${declared.length ? declared.join(", ") : "none"} (add it under the app's secrets)` });
        }
      });
      return problems;
    }),
};
