/**
 * Errors that end the program on purpose. A UserError is a mistake in input (flags, config,
 * target directory): the boundary prints its one-line message and exits with its code, never
 * a stack trace. Anything else reaching the boundary is a bug and is printed with its stack.
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
