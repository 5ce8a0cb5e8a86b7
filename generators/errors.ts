/** A mistake the user can fix (bad name, clash, unparsable file): the CLI prints it as one line, exit 2. */
export class GeneratorError extends Error {
  override name = 'GeneratorError';
}

/** The user interrupted (Ctrl-C) before anything was written. */
export class InterruptedError extends Error {
  override name = 'InterruptedError';
}
