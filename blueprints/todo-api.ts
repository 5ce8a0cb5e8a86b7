import type { Blueprint } from './types.js';

/** A Node.js todo API on MongoDB: the API starts once Mongo is healthy and reconnects when it moves. */
export const todoApi: Blueprint = {
  name: 'todo-api',
  description: 'a Node.js todo API (GET/POST /todos) on MongoDB, behind nginx, discovered through Consul',
  services: [
    { name: 'consul', component: 'consul', port: 8500, publish: 8500 },
    { name: 'nginx', component: 'nginx', port: 80, publish: 80, backends: ['api'] },
    { name: 'api', component: 'todo-api', port: 3000, backends: ['mongo'] },
    { name: 'mongo', component: 'database', database: 'mongo', port: 27017 },
  ],
  readme: 'todo-api.md.ejs',
  scaleExample: '--scale api=3',
  nextSteps: ['docker compose up -d --build', 'curl -X POST -H "content-type: application/json" -d \'{"title":"try autopilot"}\' http://localhost/api/todos', 'curl http://localhost/api/todos'],
};
