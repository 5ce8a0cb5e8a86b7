/**
 * The databases `autopilot add backend <name> --image <kind>` can create: each an official image
 * pinned by tag, run through the image's own entrypoint (which initialises an empty data
 * directory), with a health check that runs a query through the image's own client, so it proves
 * the database answers and needs no curl.
 *
 * Initialisation: none of the four needs a preStart job of its own. Postgres and MySQL create the
 * app's database and user from the environment (POSTGRES_DB; MYSQL_DATABASE, MYSQL_USER,
 * MYSQL_PASSWORD) in their entrypoint, which the job runs, on the first start with an empty data
 * directory, on a temporary server that listens on a local socket only. Their health checks
 * therefore query the app's database over TCP, which only the real server answers: the database
 * passes, and its dependants start, once initialisation is over and not while the temporary
 * server runs (a preStart that repeated the entrypoint's work would duplicate it). Mongo creates
 * a database on the first write and runs without authentication here (MONGO_INITDB_ROOT_* would
 * turn it on), and Redis has nothing to create.
 */
export type DatabaseKind = 'mongo' | 'postgres' | 'mysql' | 'redis';

export interface Database {
  kind: DatabaseKind;
  /** The official image, pinned by tag. */
  image: string;
  port: number;
  /** Where the image keeps its data: the named volume is mounted here. */
  dataDir: string;
  /** The job's exec: the image's entrypoint with the server. */
  exec: string[];
  /** The health check's exec: a query through the image's client; exit 0 when answered. */
  check: string;
  /** How long the check may take, in seconds (its TTL is this plus 10). */
  checkTimeout: number;
  /** Container environment the image needs, as compose `KEY: value` (values may use ${VAR:-default}). */
  environment: Record<string, string>;
  /** How long a clean stop may take before SIGKILL, in seconds. */
  stopTimeout: number;
  /** What a client connects with, printed by `add backend` (`<host>` is an instance found in Consul). */
  url: string;
}

// Postgres stops at once on SIGINT but waits for every client to leave on SIGTERM (the signal a
// supervisor sends), so its job runs it under a shell that turns the one into the other.
const POSTGRES_ON_SIGTERM_FAST = "trap 'kill -INT $db' TERM; docker-entrypoint.sh postgres & db=$!; wait $db; trap - TERM; wait $db";

export const DATABASES: Record<DatabaseKind, Database> = {
  mongo: {
    kind: 'mongo',
    image: 'mongo:7.0',
    port: 27017,
    dataDir: '/data/db',
    exec: ['docker-entrypoint.sh', 'mongod', '--bind_ip_all'],
    check: 'mongosh --quiet --eval "quit(db.adminCommand({ ping: 1 }).ok === 1 ? 0 : 1)"',
    // mongosh is a Node program: its start-up alone can take seconds on a busy small machine.
    checkTimeout: 10,
    environment: {},
    stopTimeout: 20,
    url: 'mongodb://<host>:27017',
  },
  postgres: {
    kind: 'postgres',
    image: 'postgres:17',
    port: 5432,
    dataDir: '/var/lib/postgresql/data',
    exec: ['/bin/sh', '-c', POSTGRES_ON_SIGTERM_FAST],
    check: 'PGPASSWORD="$POSTGRES_PASSWORD" psql -h 127.0.0.1 -U postgres -d "$POSTGRES_DB" -tAc "SELECT 1"',
    checkTimeout: 5,
    environment: { POSTGRES_PASSWORD: '${POSTGRES_PASSWORD:-autopilot}', POSTGRES_DB: '${POSTGRES_DB:-app}' },
    stopTimeout: 20,
    url: 'postgres://postgres:<password>@<host>:5432/app',
  },
  mysql: {
    kind: 'mysql',
    image: 'mysql:8.4',
    port: 3306,
    dataDir: '/var/lib/mysql',
    exec: ['docker-entrypoint.sh', 'mysqld'],
    check: 'MYSQL_PWD="$MYSQL_PASSWORD" mysql -u"$MYSQL_USER" -h127.0.0.1 "$MYSQL_DATABASE" -e "SELECT 1"',
    checkTimeout: 5,
    environment: { MYSQL_ROOT_PASSWORD: '${MYSQL_ROOT_PASSWORD:-autopilot}', MYSQL_DATABASE: '${MYSQL_DATABASE:-app}', MYSQL_USER: '${MYSQL_USER:-app}', MYSQL_PASSWORD: '${MYSQL_PASSWORD:-autopilot}' },
    stopTimeout: 30,
    url: 'mysql://app:<password>@<host>:3306/app',
  },
  redis: {
    kind: 'redis',
    image: 'redis:7.4',
    port: 6379,
    dataDir: '/data',
    exec: ['docker-entrypoint.sh', 'redis-server', '--appendonly', 'yes'],
    check: 'test "$(redis-cli ping)" = PONG',
    checkTimeout: 5,
    environment: {},
    stopTimeout: 20,
    url: 'redis://<host>:6379',
  },
};

export const DATABASE_KINDS = Object.keys(DATABASES) as DatabaseKind[];

export function isDatabaseKind(value: string): value is DatabaseKind {
  return (DATABASE_KINDS as string[]).includes(value);
}
