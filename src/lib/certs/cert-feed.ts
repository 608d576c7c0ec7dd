/**
 * Certificate changes as feed entries (issue 30), the same shape as every
 * other entry (shared/feed-entry.ts), so the Atom and RSS writers and the
 * notifier's channels carry them unchanged. Ids are permanent: the domain,
 * check and both certificates' fingerprints, so a rebuild never sends one twice.
 */
import type { FeedEntry } from '../shared/feed-entry.ts';
import { escapeXml } from '../shared/xml.ts';
import type { CertAnnouncement, CertHistoryFile } from '../schemas.ts';
import { certChanges, changeSentences, changeTitle, type CertChange } from './cert-history.ts';
import { fingerprintHandle } from './fingerprint.ts';

/** The anchor of a change on /certificates/, e.g. `change-c2s-starttls-5a3c9e127b440fd1`. */
export const changeAnchor = (change: Pick<CertChange, 'check' | 'after'>) => `change-${change.check}-${fingerprintHandle(change.after.fingerprint256)}`;

/**
 * @param siteUrl e.g. `https://status.jabber.org`
 * @param pageUrl the absolute address of /certificates/, e.g. `https://status.jabber.org/certificates/`
 */
export function certChangeEntries(
  changes: readonly CertChange[],
  siteUrl: string,
  pageUrl: string,
  componentsOf: (domain: string, check: CertChange['check']) => string[] = () => [],
): FeedEntry[] {
  const host = new URL(siteUrl).hostname;
  return changes.map((c) => {
    const at = new Date(c.at);
    return {
      id: `tag:${host},${c.at.slice(0, 10)}:certificate/${c.domain}/${c.check}/${fingerprintHandle(c.before.fingerprint256)}-${fingerprintHandle(c.after.fingerprint256)}`,
      title: changeTitle(c),
      link: `${pageUrl}#${changeAnchor(c)}`,
      published: at,
      updated: at,
      html: changeSentences(c)
        .map((s) => `<p>${escapeXml(s)}</p>`)
        .join(''),
      // The components it concerns, so per-component channels carry it too.
      categories: ['certificate', c.verdict, ...componentsOf(c.domain, c.check)],
    };
  });
}

/**
 * Every change found in the history whose time has come, oldest first: what
 * the site shows and the notifier sends alike.
 * @example certChangesAsOf(store, announcements, new Date('2026-11-21T12:00:00Z'))
 */
export function certChangesAsOf(history: CertHistoryFile, announcements: readonly CertAnnouncement[], now: Date): CertChange[] {
  return certChanges(history, announcements).filter((c) => Date.parse(c.at) <= now.getTime());
}

/**
 * Which components watch a check (content/site.yaml `probes.components`),
 * for the categories of a change's entry.
 * @example componentsWatching({ c2s: [{ domain: 'jabber.org', check: 'c2s-starttls' }] })('jabber.org', 'c2s-starttls') // ['c2s']
 */
export function componentsWatching(
  components: Readonly<Record<string, readonly { domain: string; check: string }[]>>,
): (domain: string, check: string) => string[] {
  return (domain, check) =>
    Object.entries(components)
      .filter(([, watched]) => watched.some((w) => w.domain === domain && w.check === check))
      .map(([id]) => id);
}
