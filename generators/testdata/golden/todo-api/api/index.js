// The todo API: GET /todos lists them, POST /todos {"title": "..."} adds one. MongoDB is found
// through Consul (the healthy "mongo" instances), and found again on reconnect: on SIGHUP or on
// POST /-/reconnect from loopback, which the onchange-mongo hook sends when mongo changes.
'use strict';
const http = require('node:http');
const os = require('node:os');
const { MongoClient } = require('mongodb');

const PORT = Number(process.env.PORT || 3000);
const CONSUL = process.env.CONSUL || 'consul:8500';
const DB_NAME = process.env.MONGO_DB || 'todos';

let client = null;
let todos = null;
let connecting = null;

/** mongodb://address:port of a healthy mongo, or MONGO_URL when set (for running outside compose). */
async function mongoUrl() {
  if (process.env.MONGO_URL) return process.env.MONGO_URL;
  const res = await fetch(`http://${CONSUL}/v1/health/service/mongo?passing`);
  if (!res.ok) throw new Error(`Consul answered ${res.status}`);
  const [entry] = await res.json();
  if (!entry) throw new Error('no healthy mongo instance in Consul');
  return `mongodb://${entry.Service.Address || entry.Node.Address}:${entry.Service.Port}`;
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

process.on('SIGHUP', () => reconnect());
// autopilot forwards SIGTERM on shutdown: stop taking requests, close mongo, exit.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => (client ? client.close() : Promise.resolve()).finally(() => process.exit(0))));
}
