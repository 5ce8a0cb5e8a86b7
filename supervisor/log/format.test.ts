import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatEntry, rfc3339 } from './format.js';

const time = new Date('2017-06-26T18:56:32.120Z');

test('default: RFC3339Nano timestamp and the message only', () => {
  assert.equal(formatEntry('default', { time, level: 'INFO', msg: 'job1 exec', fields: { job: 'job1', pid: 7 } }), '2017-06-26T18:56:32.12Z job1 exec\n');
  assert.equal(rfc3339(new Date('2017-06-26T18:56:32.000Z'), true), '2017-06-26T18:56:32Z');
});

test('text: logrus key=value with quoting only where needed and sorted fields', () => {
  assert.equal(
    formatEntry('text', { time, level: 'INFO', msg: 'job1 exec', fields: { pid: 42, job: 'job1' } }),
    'time="2017-06-26T18:56:32Z" level=info msg="job1 exec" job=job1 pid=42\n',
  );
  assert.equal(formatEntry('text', { time, level: 'WARN', msg: 'plain' }), 'time="2017-06-26T18:56:32Z" level=warning msg=plain\n');
  assert.equal(formatEntry('text', { time, level: 'DEBUG', msg: 'say "hi"' }), 'time="2017-06-26T18:56:32Z" level=debug msg="say \\"hi\\""\n');
});

test('json: one object per line with sorted keys', () => {
  const line = formatEntry('json', { time, level: 'ERROR', msg: 'app exited', fields: { job: 'app', pid: 3 } });
  assert.equal(line, '{"job":"app","level":"error","msg":"app exited","pid":3,"time":"2017-06-26T18:56:32Z"}\n');
  assert.deepEqual(Object.keys(JSON.parse(line) as object), ['job', 'level', 'msg', 'pid', 'time']);
});
