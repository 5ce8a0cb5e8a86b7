import { UserError } from '../errors.js';

export async function addCommand(_kind: string, _name: string, _o: Record<string, unknown>): Promise<number> {
  throw new UserError('autopilot add: the generator is being built in this change');
}
