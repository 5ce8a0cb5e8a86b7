/** Failures that end `autopilot render`: exit 2 for a broken template or flag, 1 for Consul. */
export class RenderError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'RenderError';
  }
}
