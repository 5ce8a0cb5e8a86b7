import { UserError } from '../errors.js';

export async function newCommand(_blueprint: string | undefined, _dir: string | undefined, _o: Record<string, unknown>): Promise<number> {
  throw new UserError('autopilot new: the generator is being built in this change');
}
