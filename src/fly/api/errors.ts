/** Errors of the Fly API client. Their messages never carry the token. */

export class FlyApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "FlyApiError";
  }
}

/** 401 or 403: the token is missing, wrong, or lacks the scope a read of `app` needs. */
export class FlyAuthError extends FlyApiError {
  constructor(status: number, app: string | undefined) {
    const what = app ? `read access to app ${app}` : "read access to the organization's apps";
    super(
      `Fly API answered ${status} ${status === 401 ? "Unauthorized" : "Forbidden"}: FLY_API_TOKEN needs ${what}: a token from \`fly tokens create readonly\` (org-wide) or \`fly tokens create deploy -a ${app ?? "APP"}\``,
      status,
    );
    this.name = "FlyAuthError";
  }
}

/**
 * An answer that is not what Fly's document describes (not JSON, a list where an object belongs, a
 * cursor that repeats): names the request (`GET /v1/apps/web/machines`) and what was expected.
 */
export class FlyAnswerError extends FlyApiError {
  constructor(
    readonly endpoint: string,
    problem: string,
  ) {
    super(`${endpoint}: ${problem}`);
    this.name = "FlyAnswerError";
  }
}

/** The CLI was interrupted (SIGINT/SIGTERM): the request was abandoned and no other is made. */
export class FlyRequestCancelled extends FlyApiError {
  constructor(endpoint: string) {
    super(`${endpoint}: cancelled (interrupted)`);
    this.name = "FlyRequestCancelled";
  }
}
