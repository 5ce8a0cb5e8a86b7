import type { Blueprint } from './types.js';

/** nginx in front of two Node.js services, hello and world, discovered through Consul. */
export const helloWorld: Blueprint = {
  name: 'hello-world',
  description: 'nginx in front of two Node.js services (hello, world), discovered through Consul',
  services: [
    { name: 'consul', component: 'consul', port: 8500, publish: 8500 },
    { name: 'nginx', component: 'nginx', port: 80, publish: 80, backends: ['hello', 'world'] },
    { name: 'hello', component: 'node-service', port: 3001, word: 'Hello' },
    { name: 'world', component: 'node-service', port: 3002, word: 'World' },
  ],
  readme: 'hello-world.md.ejs',
  scaleExample: '--scale hello=10 --scale world=6',
  nextSteps: ['docker compose up -d --build', 'curl http://localhost/hello', 'docker compose up -d --scale hello=10 --scale world=6'],
};
