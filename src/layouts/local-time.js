// Reader's local time and age after each UTC <time>; see Base.astro.
(() => {
  const lang = document.documentElement.lang || 'en';
  const now = Date.now();
  const today = new Date(now).toDateString();
  const opts = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' };
  const time = new Intl.DateTimeFormat(lang, opts);
  const dated = new Intl.DateTimeFormat(lang, { month: 'short', day: 'numeric', ...opts });
  const age = (ms) => {
    const m = Math.round(Math.abs(ms) / 60000);
    if (m < 1) return 'just now';
    // No-break spaces keep each number with its unit (issue 27: "1 d / 17 h" wrapped apart).
    const span = m < 60 ? `${m}\u00a0min` : m < 2880 ? `${Math.floor(m / 60)}\u00a0h${m % 60 ? ` ${m % 60}\u00a0min` : ''}` : `${Math.round(m / 1440)}\u00a0d`;
    return ms < 0 ? `in ${span}` : `${span} ago`;
  };
  for (const el of document.querySelectorAll('time[datetime*="T"]')) {
    const d = new Date(el.getAttribute('datetime'));
    if (isNaN(d)) continue;
    const parts = [age(now - d)];
    // A reader in UTC already reads their own time; the date only when it is not the reader's today.
    if (d.getTimezoneOffset()) parts.unshift((d.toDateString() === today ? time : dated).format(d));
    const span = document.createElement('span');
    span.className = 'local';
    span.textContent = ` (${parts.join(', ')})`;
    el.after(span);
  }
})();
