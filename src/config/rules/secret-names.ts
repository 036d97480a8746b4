import type { ConfigRule } from "./rule";
import { keySegment, quote } from "../issue";

export const ENV_VAR_NAME = /^[A-Z_][A-Z0-9_]*$/;

/** Secret names are valid environment variable names and never also set in plain `env`. */
export const secretNames: ConfigRule = {
  id: "secret-names",
  check: (env) =>
    Object.entries(env.apps).flatMap(([appKey, app]) =>
      Object.keys(app.secrets ?? {}).flatMap((name) => {
        const path = `apps.${appKey}.secrets${keySegment(name)}`;
        if (!ENV_VAR_NAME.test(name)) {
          return [{ path, message: `secret name ${quote(name)} is not a valid environment variable name; use uppercase letters, digits and underscores, not starting with a digit` }];
        }
        return Object.entries(app.groups)
          .filter(([, group]) => group.env !== undefined && Object.hasOwn(group.env, name))
          .map(([groupKey]) => ({
            path: `apps.${appKey}.groups.${groupKey}.env${keySegment(name)}`,
            message: `${quote(name)} is a secret of this app and must not also be set in plain env; remove it from env`,
          }));
      }),
    ),
};
