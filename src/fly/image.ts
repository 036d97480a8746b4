import { quote } from "../util/quote";

/** Splits an image reference into repository, tag and digest (`repo[:tag][@sha256:…]`). */
export interface ImageReference {
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

export function parseImage(image: string): ImageReference {
  const at = image.indexOf("@");
  const withoutDigest = at === -1 ? image : image.slice(0, at);
  const digest = at === -1 ? undefined : image.slice(at + 1);
  // A colon after the last slash is a tag; one before it belongs to a registry host:port.
  const colon = withoutDigest.lastIndexOf(":");
  const hasTag = colon > withoutDigest.lastIndexOf("/");
  return {
    repository: hasTag ? withoutDigest.slice(0, colon) : withoutDigest,
    tag: hasTag ? withoutDigest.slice(colon + 1) : undefined,
    digest,
  };
}

/** Why the image is not pinned, or undefined when it is (a digest, or a tag other than `latest`). */
export function imagePinProblem(image: string): string | undefined {
  const ref = parseImage(image);
  if (ref.tag === "") return `image ${quote(image)} has an empty tag; write "repository:tag", "repository@sha256:…" or both`;
  if (ref.digest !== undefined) {
    return /^sha256:[0-9a-f]{64}$/.test(ref.digest)
      ? undefined
      : `image ${quote(image)} has a malformed digest; expected @sha256: followed by 64 hex characters`;
  }
  if (ref.tag === undefined || ref.tag === "latest") {
    return `image ${quote(image)} is not pinned; use a digest (@sha256:…) or a tag other than "latest"`;
  }
  return undefined;
}
