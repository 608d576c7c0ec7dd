/**
 * How every command reports a usage mistake: the message, a blank line and
 * the usage text on stderr, then exit code 2, which scripts and tests tell
 * apart from a failure (1). Each command used to write this itself.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * @param usage the command's usage text, e.g. `Usage: npm run publish -- --to DIR [options]`
 * @example const usageError = usageErrorFor(USAGE); if (!values.to) usageError('--to DIR is required');
 */
export function usageErrorFor(usage: string): (message: string) => never {
  return (message) => {
    const hint = forgottenDashDash(usage, process.env);
    console.error(`${message}${hint ? `\n\n${hint}` : ''}\n\n${usage}`);
    process.exit(2);
  };
}

/**
 * When npm ran the command, options written before `--` never reach it: npm
 * keeps them as its own settings and passes them on as `npm_config_<name>`.
 * If any of the command's options arrived that way, says so (issue 22: a
 * forgotten `--` was not explained).
 * @param usage the usage text; its `--option` words are the options looked for
 * @returns the hint, or undefined when nothing looks forgotten
 * @example forgottenDashDash('--status S', { npm_config_status: 'resolved' }) // 'npm kept --status for itself: …'
 */
export function forgottenDashDash(usage: string, env: NodeJS.ProcessEnv): string | undefined {
  const names = [...new Set([...usage.matchAll(/--([a-z][a-z0-9-]*)/g)].map((m) => m[1]!))];
  const eaten = names.filter((n) => env[`npm_config_${n.replace(/-/g, '_')}`] !== undefined);
  if (eaten.length === 0) return undefined;
  const script = env.npm_lifecycle_event ?? '<command>';
  return `npm kept ${eaten.map((n) => `--${n}`).join(', ')} for itself: with npm run, the command's options go after "--", e.g. npm run ${script} -- ${eaten.map((n) => `--${n} …`).join(' ')}`;
}

/**
 * The value of an option checked by a pure parser, or its usage error.
 * @example valueOr(wholeNumberOption('timeout', values.timeout, 10_000), usageError) === 10_000
 */
export function valueOr<T>(checked: { value: T } | { error: string }, usageError: (message: string) => never): T {
  return 'error' in checked ? usageError(checked.error) : checked.value;
}

/** The `--help` option every command has. */
const HELP = { help: { type: 'boolean', default: false } } as const;
type WithHelp<C extends ParseArgsConfig> = Omit<C, 'options'> & { options: NonNullable<C['options']> & typeof HELP };

/**
 * Parses a command's options the one way every command does: `--help`
 * prints the usage and exits 0; an unknown or malformed option is a usage
 * error (exit 2). Each command used to write these seven lines itself.
 * @param usage the command's usage text
 * @param config node:util parseArgs settings without `--help`, e.g. `{ options: { site: { type: 'string' } } }`
 * @example const { values } = parseCommand(USAGE, { options: { to: { type: 'string' } } });
 */
export function parseCommand<const C extends ParseArgsConfig>(usage: string, config: C): ReturnType<typeof parseArgs<WithHelp<C>>> {
  const usageError = usageErrorFor(usage);
  const full = { ...config, options: { ...config.options, ...HELP } } as WithHelp<C>;
  let parsed: ReturnType<typeof parseArgs<WithHelp<C>>>;
  try {
    parsed = parseArgs(full);
  } catch (err) {
    return usageError((err as Error).message);
  }
  if ((parsed.values as { help?: boolean }).help) {
    console.log(usage);
    process.exit(0);
  }
  return parsed;
}
