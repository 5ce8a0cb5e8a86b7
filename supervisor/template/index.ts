import { TemplateError } from './errors.js';

export { TemplateError };

export type TemplateFunc = (...args: unknown[]) => unknown;

export interface RenderOptions {
  name?: string;
  funcs?: Record<string, TemplateFunc>;
}

/** Renders a Go text/template over `data` (missingkey=zero). */
export function renderTemplate(text: string, data: unknown, options: RenderOptions = {}): string {
  const name = options.name ?? 'template';
  void data;
  if (text.includes('{{')) throw new TemplateError(name, 1, 1, 'template actions are not supported yet');
  return text;
}
