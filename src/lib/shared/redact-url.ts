/**
 * URLs fit for a message, a log or a record: secrets removed (issue 22,
 * defect 8: a webhook URL with credentials was printed in full, password and
 * secret path, on every retry and in the run summary). Removed: the user
 * name and password, the query (tokens travel there), and the path on hosts
 * whose webhook URLs are themselves the secret (Slack, Discord, Microsoft
 * Teams / Office 365, Mattermost-style `/hooks/…`).
 */

/** Hosts whose webhook path is the credential, e.g. `hooks.slack.com/services/T000/B000/XXXX`. */
const SECRET_PATH_HOSTS = [
  /^hooks\.slack\.com$/,
  /(^|\.)discord(app)?\.com$/,
  /\.webhook\.office\.com$/,
  /^outlook\.office(365)?\.com$/,
  /\.logic\.azure\.com$/,
];

/**
 * @example redactUrl('https://bot:hunter2@hooks.slack.com/services/T0/B0/xyz?token=1') // 'https://hooks.slack.com/…'
 * @example redactUrl('https://probe.example/summary.json?key=abc') // 'https://probe.example/summary.json?…'
 */
export function redactUrl(url: string | URL): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return '(not a URL)';
  }
  u.username = '';
  u.password = '';
  const secretPath = SECRET_PATH_HOSTS.some((h) => h.test(u.hostname)) || /\/hooks?\//.test(u.pathname);
  const query = u.search ? '?…' : '';
  u.search = '';
  u.hash = '';
  return secretPath ? `${u.protocol}//${u.host}/…` : `${u.href}${query}`;
}

/** Every URL inside `text` redacted, e.g. an error message that quotes the address it failed on. */
export function redactUrlsIn(text: string): string {
  return text.replace(/\b[a-z][a-z0-9+.-]{1,15}:\/\/[^\s"'<>`]+/gi, (m) => {
    // Keep a closing bracket or full stop that ends the sentence, not the URL.
    const tail = /[).,;:]+$/.exec(m)?.[0] ?? '';
    return redactUrl(m.slice(0, m.length - tail.length)) + tail;
  });
}
