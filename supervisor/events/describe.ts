import type { SupervisorEvent } from './bus.js';

const CODE_NAMES: Record<string, string> = {
  exitSuccess: 'ExitSuccess', exitFailed: 'ExitFailed', stopping: 'Stopping', stopped: 'Stopped',
  healthy: 'StatusHealthy', unhealthy: 'StatusUnhealthy', changed: 'StatusChanged', timerExpired: 'TimerExpired',
  enterMaintenance: 'EnterMaintenance', exitMaintenance: 'ExitMaintenance', startup: 'Startup', shutdown: 'Shutdown', signal: 'Signal',
};

/** ContainerPilot's debug rendering of an event: `{ExitSuccess app}`. */
export function describeEvent(e: SupervisorEvent): string {
  return `{${CODE_NAMES[e.code] ?? e.code} ${e.source}}`;
}
