/** A plan is a list of file operations; planning produces it, the applier carries it out. */
export interface FileOp {
  /** Relative to the project directory, with forward slashes. */
  path: string;
  content: string;
  /** A file copied (hard-linked when it can be) from this absolute path instead of `content`: a vendored binary. */
  copyFrom?: string;
  /** File mode for new files (scripts get 0o755). */
  mode?: number;
  /** `update` changes an existing file whose current text is `previous`. */
  action: 'create' | 'update';
  previous?: string;
}

/** Reads a project file's text, or undefined when it does not exist (planning never touches disk itself). */
export type ReadFile = (path: string) => string | undefined;
