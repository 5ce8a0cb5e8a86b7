/**
 * Adds an upstream and a location to an nginx config (or its consul-template template) without
 * re-printing it: blocks are found by a brace scanner that skips `{{ ... }}` actions, comments
 * and quoted strings, and text is inserted at line boundaries.
 */
import { GeneratorError } from './errors.js';

interface Block {
  header: string;
  open: number;
  close: number;
  children: Block[];
}

function scanBlocks(text: string, file: string): Block[] {
  const roots: Block[] = [];
  const stack: Block[] = [];
  let statementStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (text.startsWith('{{', i)) {
      const end = text.indexOf('}}', i + 2);
      if (end < 0) throw new GeneratorError(`${file}: unclosed "{{"`);
      i = end + 1;
      statementStart = i + 1; // a template action is not part of the next block's name
    } else if (c === '#') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
      statementStart = i;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
      i = j;
    } else if (c === '{') {
      const block: Block = { header: text.slice(statementStart, i).trim(), open: i, close: -1, children: [] };
      (stack.length ? stack[stack.length - 1]!.children : roots).push(block);
      stack.push(block);
      statementStart = i + 1;
    } else if (c === '}') {
      const block = stack.pop();
      if (!block) throw new GeneratorError(`${file}: unbalanced "}"`);
      block.close = i;
      statementStart = i + 1;
    } else if (c === ';') {
      statementStart = i + 1;
    }
  }
  if (stack.length) throw new GeneratorError(`${file}: unclosed "${stack[stack.length - 1]!.header} {"`);
  return roots;
}

const lineStart = (text: string, offset: number) => text.lastIndexOf('\n', offset - 1) + 1;

export const hasUpstream = (text: string, name: string) => new RegExp(`^\\s*upstream\\s+${name}\\s*\\{`, 'm').test(text);
export const hasLocation = (text: string, name: string) => new RegExp(`^\\s*location\\s+(\\^~\\s+|=\\s+)?/${name}/?\\s*\\{`, 'm').test(text);

/** Inserts `upstream` before the http block's first server and `location` at the end of that server. */
export function addNginxBackend(text: string, name: string, upstream: string, location: string, file: string): string {
  const http = scanBlocks(text, file).find((b) => b.header === 'http');
  const server = http?.children.find((b) => b.header === 'server');
  if (!http || !server) throw new GeneratorError(`${file}: no "server" block inside "http" to add ${name} to`);
  let out = text;
  // Insert the later position first so the earlier offset stays valid.
  if (!hasLocation(text, name)) {
    const at = lineStart(out, server.close);
    out = out.slice(0, at) + location + out.slice(at);
  }
  if (!hasUpstream(text, name)) {
    const at = lineStart(out, server.open);
    out = out.slice(0, at) + upstream + out.slice(at);
  }
  return out;
}
