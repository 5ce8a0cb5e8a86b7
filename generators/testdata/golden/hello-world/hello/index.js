// hello: answers "Hello" and the hostname of the container that served
// the request, so scaling up shows the load spreading. GET /<backend> uses one of the backends
// `autopilot add backend <backend> --service hello` wired in (BACKENDS below).
'use strict';
const http = require('node:http');
const os = require('node:os');

const PORT = Number(process.env.PORT || 3001);
const WORD = 'Hello';
// Each backend module finds its service in Consul, connects, and answers visit().
const BACKENDS = [];

function send(res, status, type, body) {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}

const server = http.createServer((req, res) => {
  const path = new URL(req.url, 'http://localhost').pathname;
  // autopilot's http health check polls this; answering means the process is serving.
  if (path === '/health') return send(res, 200, 'text/plain', 'ok\n');
  const backend = BACKENDS.find((b) => path === `/${b.name}`);
  if (!backend) return send(res, 200, 'text/plain', `${WORD} from ${os.hostname()}\n`);
  backend.visit().then(
    (result) => send(res, 200, 'application/json', JSON.stringify({ word: WORD, host: os.hostname(), ...result }) + '\n'),
    (err) => send(res, 503, 'application/json', JSON.stringify({ host: os.hostname(), backend: backend.name, error: err.message }) + '\n'),
  );
});

server.listen(PORT, () => console.log(`hello listening on port ${server.address().port}`));
for (const backend of BACKENDS) backend.start();

// autopilot forwards SIGTERM on shutdown, after it deregistered this instance from Consul:
// finish the requests in flight, close the backends, then exit.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    console.log(`hello: ${signal}: finishing the requests in flight`);
    server.close(() => Promise.allSettled(BACKENDS.map((b) => b.close())).finally(() => process.exit(0)));
  });
}
