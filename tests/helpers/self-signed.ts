/**
 * A throwaway self-signed certificate for a server a test starts on
 * loopback (nginx, Pebble), made with the system's openssl: one copy of
 * the command instead of one per rig.
 */
import { execFileSync } from 'node:child_process';
import { TOOLS } from './system-tools.ts';

/**
 * Writes `key` and `cert` (PEM), valid two days.
 * @param subject e.g. `/CN=127.0.0.1`
 * @param altNames e.g. `IP:127.0.0.1` or `DNS:status.jabber.org,IP:127.0.0.1`
 */
export function selfSignedCert(key: string, cert: string, subject: string, altNames: string): void {
  execFileSync(
    TOOLS.openssl.path,
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', subject, '-addext', `subjectAltName=${altNames}`, '-keyout', key, '-out', cert],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
}
