/** Errors of the control plane (a client mistake is base/errors.ts's RejectedRequest). */

/** The socket path is taken: a live supervisor answers there, or it is not a socket at all. */
export class ControlSocketInUseError extends Error {
  constructor(
    readonly socketPath: string,
    message: string,
  ) {
    super(message);
    this.name = 'ControlSocketInUseError';
  }
}

/** The client could not talk to the socket at all (absent, refused, no permission, no answer). */
export class ControlUnreachableError extends Error {
  constructor(
    readonly socketPath: string,
    readonly reason: string,
  ) {
    super(`cannot reach the control socket ${socketPath}: ${reason}`);
    this.name = 'ControlUnreachableError';
  }
}

/** The server answered with a non-2xx status. */
export class ControlRequestError extends Error {
  constructor(
    readonly path: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${path}: ${status} ${body.split('\n')[0] ?? ''}`.trimEnd());
    this.name = 'ControlRequestError';
  }
}
