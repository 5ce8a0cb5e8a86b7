/**
 * Quotes a word for a POSIX shell only where it needs quoting, so the next steps we print can be
 * pasted as they are: `cd my-app` stays bare, a directory with a space prints `cd 'my dir'`.
 */
const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function shellQuote(word: string): string {
  if (word !== '' && SAFE.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
