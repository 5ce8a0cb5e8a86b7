// The todo API: GET /todos lists them, POST /todos {"title": "..."} adds one. MongoDB is found
// through Consul with autopilot-pattern-client (a healthy "mongo" instance), and found again on
// reconnect: when the instance it uses stops passing (the client's blocking-query watch), on
// SIGHUP, or on POST /-/reconnect from loopback, which the onchange-mongo hook sends.
'use strict';
const http = require('node:http');
const os = require('node:os');
const { MongoClient } = require('mongodb');

const PORT = Number(process.env.PORT || 3000);
const DB_NAME = process.env.MONGO_DB || 'todos';

let client = null;
let todos = null;
let connecting = null;

// autopilot-pattern-client is an ES module: loaded once, on first use. It finds Consul in
// CONSUL / CONSUL_HTTP_ADDR (set by the image), else the local agent.
let discovery = null;
const consul = async () => (discovery ??= await import('autopilot-pattern-client'));
let current = null; // the address:port connected to

/** mongodb://address:port of a healthy mongo, or MONGO_URL when set (for running outside compose). */
async function mongoUrl() {
  if (process.env.MONGO_URL) return process.env.MONGO_URL;
  const { service } = await consul();
  const db = await service('mongo');
  current = `${db.address}:${db.port}`;
  return `mongodb://${current}`;
}

async function connect() {
  const url = await mongoUrl();
  const next = new MongoClient(url, { serverSelectionTimeoutMS: 5000 });
  await next.connect();
  const previous = client;
  client = next;
  todos = next.db(DB_NAME).collection('todos');
  console.log(`connected to ${url}`);
  if (previous) await previous.close().catch(() => {});
}

/** One connection attempt at a time; callers share it. */
function reconnect() {
  connecting ??= connect()
    .catch((err) => console.error(`cannot connect to mongo: ${err.message}`))
    .finally(() => (connecting = null));
  return connecting;
}

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body) + '\n');
}

function readJson(req) {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      data += chunk;
      if (data.length > 1e6) req.destroy(new Error('body too large'));
    });
    req.on('end', () => {
      try {
        resolve(data ? JSON.parse(data) : {});
      } catch {
        reject(new Error('the body is not JSON'));
      }
    });
    req.on('error', reject);
  });
}

async function handle(req, res) {
  const path = new URL(req.url, 'http://localhost').pathname;
  if (path === '/health') return send(res, todos ? 200 : 503, { ok: Boolean(todos), host: os.hostname() });
  if (path === '/-/reconnect' && req.method === 'POST') {
    const local = ['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(req.socket.remoteAddress);
    if (!local) return send(res, 403, { error: 'only from loopback' });
    await reconnect();
    return send(res, todos ? 200 : 503, { reconnected: Boolean(todos) });
  }
  if (path !== '/todos') return send(res, 404, { error: 'not found; try /todos' });
  if (!todos) return send(res, 503, { error: 'not connected to mongo yet' });
  if (req.method === 'GET') return send(res, 200, await todos.find({}).sort({ _id: 1 }).toArray());
  if (req.method === 'POST') {
    const body = await readJson(req).catch((err) => ({ error: err.message }));
    if (typeof body.title !== 'string' || body.title === '') return send(res, 400, { error: body.error || 'expected {"title": "..."}' });
    const todo = { title: body.title, done: Boolean(body.done), createdAt: new Date() };
    const { insertedId } = await todos.insertOne(todo);
    return send(res, 201, { _id: insertedId, ...todo });
  }
  res.setHeader('allow', 'GET, POST');
  return send(res, 405, { error: 'use GET or POST' });
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((err) => send(res, 500, { error: err.message }));
});

server.listen(PORT, () => console.log(`api listening on port ${server.address().port}`));
reconnect();
// Reconnect as soon as the instance in use stops passing; new instances alone change nothing.
if (!process.env.MONGO_URL) {
  consul().then(({ watch }) => {
    const watching = watch('mongo', (instances) => {
      if (current && !instances.some((i) => `${i.address}:${i.port}` === current)) reconnect();
    });
    watching.on('error', (err) => console.error(`watching mongo in Consul: ${err.message}`));
  });
}

process.on('SIGHUP', () => reconnect());
// autopilot forwards SIGTERM on shutdown: stop taking requests, close mongo, exit.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    discovery?.close();
    server.close(() => (client ? client.close() : Promise.resolve()).finally(() => process.exit(0)));
  });
}
