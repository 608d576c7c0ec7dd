/**
 * What a publish says when the file system refuses it (issues 22 and 26):
 * one sentence with the fix, never a stack trace. A full disk, a folder
 * owned by another user and a missing folder are the failures admins meet;
 * anything else is named by its code and path.
 */

/** The parts of a Node file-system error a sentence needs. */
export interface FsFailure {
  /** e.g. `ENOSPC`, `EACCES`, `EPERM`, `ENOENT`. */
  code: string | undefined;
  /** The path the failing call touched, when Node says. */
  path: string | undefined;
  /** The error's own message, for codes without a sentence of their own. */
  message: string;
}

export interface FailureContext {
  /** The publish target, e.g. `/srv/jabber-status/site`. */
  target: string;
  /** What was being done, e.g. `precompressing release 20261121T120000Z-42`. */
  doing: string;
  /** The release readers still get, or undefined before the first publish. */
  live: string | undefined;
  /** The user this publish runs as, e.g. `jabber-status`. */
  user: string;
  /** Who owns `path`, when known (looked up by the caller), e.g. `root`. */
  owner?: string;
}

/** Reads code, path and message off anything thrown. */
export function fsFailure(err: unknown): FsFailure {
  const e = err as { code?: unknown; path?: unknown; dest?: unknown; message?: unknown };
  return {
    code: typeof e?.code === 'string' ? e.code : undefined,
    path: typeof e?.path === 'string' ? e.path : typeof e?.dest === 'string' ? e.dest : undefined,
    message: typeof e?.message === 'string' ? e.message.split('\n')[0]! : String(err),
  };
}

/**
 * The sentence for a failed publish step.
 * @example failureSentence({ code: 'ENOSPC', path: '/srv/site/releases/x/index.html.br', message: '' }, { target: '/srv/site', doing: 'precompressing release x', live: 'y', user: 'jabber-status' })
 * // "The disk holding /srv/site is full (while precompressing release x): …"
 */
export function failureSentence(failure: FsFailure, ctx: FailureContext): string {
  const still = ctx.live ? `readers still get release ${ctx.live}` : 'nothing was live yet';
  const where = failure.path ?? ctx.target;
  switch (failure.code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return `The disk holding ${ctx.target} is full (while ${ctx.doing}); the unfinished release was removed and ${still}. Free space (see df -h ${ctx.target}) and publish again.`;
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return (
        `${where} cannot be changed by ${ctx.user}` +
        (ctx.owner && ctx.owner !== ctx.user ? ` (it belongs to ${ctx.owner})` : '') +
        ` (while ${ctx.doing}); ${still}. Publish as the owner of ${ctx.target} only, and give back what another user made: chown -R ${ctx.owner && ctx.owner !== ctx.user ? ctx.user : '<site user>'} ${ctx.target}.`
      );
    case 'ENOENT':
      return `${where} does not exist (while ${ctx.doing}); ${still}. Create the folder (deploy/install.sh makes every folder the site needs) and publish again.`;
    default:
      return `Publishing failed while ${ctx.doing}: ${failure.code ? `${failure.code} on ${where}` : failure.message}; ${still}.`;
  }
}

/**
 * The refusal of a command run as another user than the owner of the site
 * folder: publishing as root makes releases the service user cannot prune.
 */
export function wrongUserSentence(target: string, owner: string, user: string, command: string): string {
  return `${target} belongs to ${owner}, but this runs as ${user}: files it made would belong to ${user}, and later publishes could not remove them. Run it as ${owner}: sudo -u ${owner} ${command}`;
}
