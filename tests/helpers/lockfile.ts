/** Reading package-lock.json (version 3) the way npm resolves it, for tests/lockfile.test.ts. */

export interface LockEntry {
  version?: string;
  optional?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

export interface Lockfile {
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
}

/**
 * Where node would find `name` from the package at `from` (a key such as
 * `node_modules/a/node_modules/b`): its own node_modules, then each parent's,
 * then the root's.
 */
function resolves(lock: Lockfile, from: string, name: string): boolean {
  let base = from;
  for (;;) {
    if (lock.packages[`${base ? `${base}/` : ''}node_modules/${name}`]) return true;
    if (!base) return false;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut < 0 ? '' : base.slice(0, cut);
  }
}

/** Every optional dependency (any platform's) that has no entry npm ci could install, as "package needs name@range". */
export function missingOptionalEntries(lock: Lockfile): string[] {
  const missing: string[] = [];
  for (const [key, entry] of Object.entries(lock.packages)) {
    for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) {
      if (!resolves(lock, key, name)) missing.push(`${key || '(root)'} needs ${name}@${range}`);
    }
  }
  return missing.sort();
}
