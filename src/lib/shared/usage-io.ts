/**
 * How every command reports a usage mistake: the message, a blank line and
 * the usage text on stderr, then exit code 2, which scripts and tests tell
 * apart from a failure (1). Each command used to write this itself.
 */

/**
 * @param usage the command's usage text, e.g. `Usage: npm run publish -- --to DIR [options]`
 * @example const usageError = usageErrorFor(USAGE); if (!values.to) usageError('--to DIR is required');
 */
export function usageErrorFor(usage: string): (message: string) => never {
  return (message) => {
    console.error(`${message}\n\n${usage}`);
    process.exit(2);
  };
}

/**
 * The value of an option checked by a pure parser, or its usage error.
 * @example valueOr(wholeNumberOption('timeout', values.timeout, 10_000), usageError) === 10_000
 */
export function valueOr<T>(checked: { value: T } | { error: string }, usageError: (message: string) => never): T {
  return 'error' in checked ? usageError(checked.error) : checked.value;
}
