/**
 * Errors that answer a mistake in input with one line, never a stack trace: a UserError ends the
 * program (flags, config, target directory: the CLI boundary prints its message and exits with
 * its code), a RejectedRequest answers one request with a 4xx. Anything else reaching a boundary
 * is a bug and is printed with its stack.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** Exits quietly with a code (the message, if any, was already printed). */
export class ExitError extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
    this.name = 'ExitError';
  }
}

/**
 * A request the caller can fix (the control socket, telemetry's metrics): a handler throws it to
 * answer with a 4xx (default 422, ContainerPilot's status for bad bodies) instead of a 500.
 */
export class RejectedRequest extends Error {
  constructor(
    message: string,
    readonly status = 422,
  ) {
    super(message);
    this.name = 'RejectedRequest';
  }
}
