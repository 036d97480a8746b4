import { imagePinProblem } from "../../fly/image";
import { type ConfigRule, groupsOf } from "./rule";

/** Images are pinned by digest or by a tag other than `latest`, so a plan says exactly what runs. */
export const pinnedImages: ConfigRule = {
  id: "pinned-images",
  check: (env) =>
    groupsOf(env).flatMap(({ group, path }) => {
      const problem = imagePinProblem(group.image);
      return problem ? [{ path: `${path}.image`, message: problem }] : [];
    }),
};
