// Talking to the todo-api blueprint: its API through nginx, and its containers' recent log lines.
import { timedLogs } from './stack.mjs';

/** One request to http://<nginxIp><path> -> { status, body, json } (json undefined unless JSON). */
export async function apiRequest(nginxIp, method, path, body) {
  const res = await fetch(`http://${nginxIp}${path}`, {
    method,
    signal: AbortSignal.timeout(5000),
    headers: { connection: 'close', ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, body: text, json };
}

/** A container's log lines received at or after `sinceMs`, oldest first. */
export async function logsSince(project, id, sinceMs) {
  return (await timedLogs(project, id)).filter((l) => l.at >= sinceMs);
}
