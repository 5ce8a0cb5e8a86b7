// world: answers "World" and the hostname of the container that served
// the request, so scaling up shows the load spreading. No npm dependencies.
'use strict';
const http = require('node:http');
const os = require('node:os');

const PORT = Number(process.env.PORT || 3002);
const WORD = 'World';

const server = http.createServer((req, res) => {
  // autopilot's http health check polls this; answering means the process is serving.
  if (req.url === '/health') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok\n');
    return;
  }
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end(`${WORD} from ${os.hostname()}\n`);
});

server.listen(PORT, () => console.log(`world listening on port ${server.address().port}`));

// autopilot forwards SIGTERM on shutdown, after it deregistered this instance from Consul:
// finish the requests in flight, then exit.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    console.log(`world: ${signal}: finishing the requests in flight`);
    server.close(() => process.exit(0));
  });
}
