/** The single error type the template engine raises, for parse and execution failures alike. */
export class TemplateError extends Error {
  readonly templateName: string;
  readonly line: number;
  readonly column: number;
  constructor(templateName: string, line: number, column: number, what: string) {
    // One line, whatever the template quoted: a raw string's newline is shown as \n.
    super(`${templateName}:${line}:${column}: ${what.replace(/\r\n|\r|\n/g, (m) => JSON.stringify(m).slice(1, -1))}`);
    this.name = 'TemplateError';
    this.templateName = templateName;
    this.line = line;
    this.column = column;
  }
}
