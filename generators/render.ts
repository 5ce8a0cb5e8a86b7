import ejs from 'ejs';
import { readTemplate } from './template-files.js';

/** Renders `templates/<component>/<file>` with ejs. Templates use `<%- %>` only for prepared text. */
export function renderTemplate(component: string, file: string, locals: Record<string, unknown>): string {
  return ejs.render(readTemplate(component, file), locals, { async: false, filename: `${component}/${file}` });
}
