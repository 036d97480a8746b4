import { classifyActions, isDestructive } from "../../src/features/plan/actions";

describe("classifyActions", () => {
  it.each([
    [["no-op"], "no-op"],
    [["create"], "create"],
    [["read"], "read"],
    [["update"], "update"],
    [["delete"], "delete"],
    [["delete", "create"], "replace"],
    [["create", "delete"], "replace"],
    // removed { lifecycle { destroy = false } } on a replacement: still a new object.
    [["create", "forget"], "replace"],
    [["forget"], "forget"],
  ] as const)("%j is %s", (actions, kind) => {
    expect(classifyActions(actions)).toBe(kind);
  });

  it("treats an unknown list with delete in it as a delete, so it still warns", () => {
    expect(classifyActions(["delete", "teleport"])).toBe("delete");
    expect(classifyActions(["teleport"])).toBe("other");
  });

  it("calls only delete and replace destructive", () => {
    expect(["create", "update", "replace", "delete", "no-op", "read", "forget", "other"].filter((k) => isDestructive(k as Parameters<typeof isDestructive>[0]))).toEqual(["replace", "delete"]);
  });
});
