/**
 * The consul-template compatible renderer behind `autopilot render`.
 *
 *   const specs = flags.map(parseTemplateSpec);          // "in.ctmpl:out.conf:nginx -s reload"
 *   const consul = new RenderConsul(resolveConsulSettings(address, process.env));
 *   const failedCommands = await renderOnce(specs, { consul, log });   // -once
 *   const watch = new RenderWatch(specs, { consul, log, wait: parseWait('500ms:2s') }); ...; await watch.stop();
 *   consul.close();
 * Failures that end a run are RenderErrors (exitCode 2: template or flag, 1: Consul).
 */
export { RenderConsul } from './consul-api.js';
export { RenderError } from './errors.js';
export { renderOnce } from './once.js';
export { RenderWatch } from './watch.js';
export { parseTemplateSpec, SpecError } from './spec.js';
export { parseWait, WaitError } from './wait.js';
