import assert from 'node:assert/strict';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { TempDir } from '../../testing/supervisor.js';
import { Logger } from './logger.js';
import { LineSplitter } from './lines.js';

test('level filter and fields from with()', () => {
  const out: string[] = [];
  const log = new Logger({ level: 'INFO', format: 'text', output: 'stdout' }, { sink: { write: (t) => out.push(t), reopen() {}, close() {} } });
  log.debug('hidden');
  log.with({ job: 'app' }).info('shown', { pid: 9 });
  assert.equal(out.length, 1);
  assert.match(out[0]!, /level=info msg=shown job=app pid=9\n$/);
});

test('a file output is appended to, and reopen() starts a new file after logrotate moved it', (t) => {
  const dir = new TempDir();
  t.after(() => dir.dispose());
  const path = dir.file('cp.log', 'existing line\n');
  const log = new Logger({ level: 'INFO', format: 'default', output: path });
  log.info('first');
  renameSync(path, join(dir.path, 'cp.log.1'));
  log.info('second, still into the moved file');
  log.reopen();
  log.info('third, into a new file');
  log.close();
  const rotated = readFileSync(join(dir.path, 'cp.log.1'), 'utf8');
  assert.match(rotated, /^existing line\n.* first\n.* second, still into the moved file\n$/);
  assert.ok(existsSync(path));
  assert.match(readFileSync(path, 'utf8'), /^\S+ third, into a new file\n$/);
});

test('LineSplitter joins chunks, flushes the last partial line, strips CR', () => {
  const lines: string[] = [];
  const s = new LineSplitter((l) => lines.push(l));
  s.push('ab');
  s.push('c\r\nde\n\nf');
  s.end();
  assert.deepEqual(lines, ['abc', 'de', '', 'f']);
});
