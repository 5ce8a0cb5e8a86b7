import kleur from 'kleur';

/**
 * kleur decides colour once at import from FORCE_COLOR/NODE_DISABLE_COLORS/TERM; we also honour
 * NO_COLOR (https://no-color.org) and turn colour off when stdout is not a terminal.
 */
export function colorEnabled(env: NodeJS.ProcessEnv = process.env, isTTY = Boolean(process.stdout.isTTY)): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return isTTY && env.TERM !== 'dumb';
}

kleur.enabled = colorEnabled();

export { kleur as color };
