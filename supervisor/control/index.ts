export { startControlServer, type ControlServer, type ControlServerOptions } from './server.js';
export type { ControlHandlers } from './handlers.js';
export type { StatusSnapshot, JobStatus, JobHealth, WatchStatus, WatchInstance } from '../status/types.js';
export { ControlClient } from './client.js';
export { RejectedRequest } from '../../base/errors.js';
export { ControlSocketInUseError, ControlUnreachableError, ControlRequestError } from './errors.js';
export { DEFAULT_SOCKET_PATH, locateControlSocket } from './locate.js';
