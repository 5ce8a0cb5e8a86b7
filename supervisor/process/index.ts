export { spawnProcess, type ChildHandle, type ExitInfo, type SpawnOptions } from './spawn.js';
export { signalGroup, signalExitCode, type SignalName } from './signal-group.js';
export { childEnv, jobPidVar, setJobPid, clearJobPid } from './pid-env.js';
export { trackChild, untrackChild, isTrackedChild, trackedChildren } from './children.js';
export { goDuration } from './duration.js';
