import { ENV_VAR_NAME } from "./secret-names";
import { type ConfigRule, groupsOf } from "./rule";

const CREDENTIAL_WORDS = ["KEY", "SECRET", "TOKEN", "PASSWORD"];

/** Plain env is readable in config, plans and state; anything named like a credential belongs in secrets. */
export const noCredentialsInEnv: ConfigRule = {
  id: "no-credentials-in-env",
  check: (env) =>
    groupsOf(env).flatMap(({ appKey, group, path }) =>
      Object.keys(group.env ?? {}).flatMap((name) => {
        if (!ENV_VAR_NAME.test(name)) {
          return [{ path: `${path}.env.${name}`, message: `"${name}" is not a valid environment variable name; use uppercase letters, digits and underscores` }];
        }
        const word = CREDENTIAL_WORDS.find((w) => name.split("_").includes(w) || name.includes(w));
        return word
          ? [{ path: `${path}.env.${name}`, message: `"${name}" looks like a credential (its name contains ${word}); declare it under apps.${appKey}.secrets instead of plain env` }]
          : [];
      }),
    ),
};
