import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nginxLocation, nginxUpstream } from './components.js';
import { addNginxBackend, hasLocation, hasUpstream } from './nginx-patch.js';

const HAND_WRITTEN = `# my nginx
events { worker_connections 64; }
http {
    # keep this comment
    upstream app {
        {{ range service "app" }}server {{ .Address }}:{{ .Port }};{{ end }}
    }
    server {
        listen 80;
        location /app { proxy_pass http://app; } # inline
        location ~ "^/x{2}$" { return 204; }
    }
}
`;

test('adds an upstream before the server and a location at its end; the rest is untouched', () => {
  const after = addNginxBackend(HAND_WRITTEN, 'db', nginxUpstream('db', true), nginxLocation('db'), 'nginx.conf.ctmpl');
  assert.ok(hasUpstream(after, 'db') && hasLocation(after, 'db'));
  const upstreamAt = after.indexOf('    upstream db {');
  assert.ok(upstreamAt > after.indexOf('upstream app {') && upstreamAt < after.indexOf('    server {'));
  const locationAt = after.indexOf('        location ^~ /db {');
  assert.ok(locationAt > after.indexOf('return 204'), 'location goes last in the server block');
  assert.equal(after.slice(after.indexOf('}\n', locationAt)), '}\n\n    }\n}\n');
  // Removing the two insertions gives back the original byte for byte.
  assert.equal(after.replace(nginxUpstream('db', true), '').replace(nginxLocation('db'), ''), HAND_WRITTEN);
});

test('running it again changes nothing', () => {
  const once = addNginxBackend(HAND_WRITTEN, 'db', nginxUpstream('db', false), nginxLocation('db'), 'nginx.conf');
  assert.equal(addNginxBackend(once, 'db', nginxUpstream('db', false), nginxLocation('db'), 'nginx.conf'), once);
  assert.ok(hasLocation(HAND_WRITTEN, 'app') && hasUpstream(HAND_WRITTEN, 'app') && !hasUpstream(HAND_WRITTEN, 'ap'));
});

test('a file without http/server or with unbalanced braces is refused with its name', () => {
  assert.throws(() => addNginxBackend('events {}\n', 'db', 'u', 'l', 'nginx/nginx.conf'), /^GeneratorError: nginx\/nginx\.conf: no "server" block inside "http"/);
  assert.throws(() => addNginxBackend('http { server {\n', 'db', 'u', 'l', 'n.conf'), /n\.conf: unclosed "server \{"/);
  assert.throws(() => addNginxBackend('http { {{ if x }\n', 'db', 'u', 'l', 'n.conf'), /n\.conf: unclosed "\{\{"/);
});

test('template actions between blocks are not mistaken for part of a block name', () => {
  const text = 'http {\n    {{ if service "a" }}upstream a { server x; }{{ end }}\n    server {\n        listen 80;\n    }\n}\n';
  const after = addNginxBackend(text, 'db', '    upstream db {}\n', '        location ^~ /db {}\n', 'n.conf');
  assert.equal(after, 'http {\n    {{ if service "a" }}upstream a { server x; }{{ end }}\n    upstream db {}\n    server {\n        listen 80;\n        location ^~ /db {}\n    }\n}\n');
});
