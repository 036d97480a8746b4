import type { ConfigRule } from "./rule";

export const ENV_VAR_NAME = /^[A-Z_][A-Z0-9_]*$/;

/** Secret names are valid environment variable names and never also set in plain `env`. */
export const secretNames: ConfigRule = {
  id: "secret-names",
  check: (env) =>
    Object.entries(env.apps).flatMap(([appKey, app]) =>
      Object.keys(app.secrets ?? {}).flatMap((name) => {
        const path = `apps.${appKey}.secrets.${name}`;
        if (!ENV_VAR_NAME.test(name)) {
          return [{ path, message: `secret name "${name}" is not a valid environment variable name; use uppercase letters, digits and underscores, not starting with a digit` }];
        }
        return Object.entries(app.groups)
          .filter(([, group]) => group.env !== undefined && name in group.env)
          .map(([groupKey]) => ({
            path: `apps.${appKey}.groups.${groupKey}.env.${name}`,
            message: `"${name}" is a secret of this app and must not also be set in plain env; remove it from env`,
          }));
      }),
    ),
};
