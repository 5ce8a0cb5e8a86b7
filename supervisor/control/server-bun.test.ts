// On Bun, the control socket is served by Bun.serve (server-bun.ts), not node:http. The server,
// socket and client tests hold for that path too (server.test checks which server listens): run
// them under Bun's test runner and require every one of them to pass there.
import { test } from 'node:test';
import { assertPassUnderBun } from '../../testing/bun-test.js';

test('under Bun, the control server, socket and client tests pass with Bun.serve underneath', () => {
  assertPassUnderBun(['supervisor/control/server.test.js', 'supervisor/control/socket.test.js', 'supervisor/control/client.test.js']);
});
