/** The single error type the template engine raises, for parse and execution failures alike. */
export class TemplateError extends Error {
  readonly templateName: string;
  readonly line: number;
  readonly column: number;
  constructor(templateName: string, line: number, column: number, what: string) {
    super(`${templateName}:${line}:${column}: ${what}`);
    this.name = 'TemplateError';
    this.templateName = templateName;
    this.line = line;
    this.column = column;
  }
}
