import type { ExitInfo } from '../process/spawn.js';

const SIGNAL_TEXT: Record<string, string> = {
  SIGKILL: 'killed',
  SIGTERM: 'terminated',
  SIGINT: 'interrupt',
  SIGHUP: 'hangup',
  SIGQUIT: 'quit',
  SIGABRT: 'aborted',
  SIGSEGV: 'segmentation fault',
  SIGPIPE: 'broken pipe',
  SIGUSR1: 'user defined signal 1',
  SIGUSR2: 'user defined signal 2',
};

/** Go's os.ProcessState text, as ContainerPilot logs it: "exit status 1", "signal: killed". */
export function exitText(exit: ExitInfo): string {
  if (exit.signal) return `signal: ${SIGNAL_TEXT[exit.signal] ?? exit.signal}`;
  return `exit status ${exit.status}`;
}
