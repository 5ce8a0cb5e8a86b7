/**
 * The text given for a flag, as typed. cac's parser turns number-like values into numbers
 * (`--port 0x10` arrives as 16, `1e3` as 1000), so a flag that must be decimal reads its text here.
 */
export function rawFlagValue(argv: readonly string[], flag: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < argv.length && argv[i] !== '--'; i++) {
    const arg = argv[i]!;
    if (arg === flag && i + 1 < argv.length) value = argv[++i];
    else if (arg.startsWith(`${flag}=`)) value = arg.slice(flag.length + 1);
  }
  return value;
}
