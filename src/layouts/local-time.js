// Reader's local time and age after each UTC <time>; see Base.astro.
(() => {
  const lang = document.documentElement.lang || 'en';
  const now = Date.now();
  const opts = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' };
  const time = new Intl.DateTimeFormat(lang, opts);
  const dated = new Intl.DateTimeFormat(lang, { month: 'short', day: 'numeric', ...opts });
  const age = (ms) => {
    const m = Math.round(Math.abs(ms) / 60000);
    if (m < 1) return 'just now';
    const span = m < 60 ? `${m} min` : m < 2880 ? `${Math.round(m / 60)} h` : `${Math.round(m / 1440)} d`;
    return ms < 0 ? `in ${span}` : `${span} ago`;
  };
  for (const el of document.querySelectorAll('time[datetime*="T"]')) {
    const d = new Date(el.getAttribute('datetime'));
    if (isNaN(d)) continue;
    const parts = [age(now - d)];
    // A reader in UTC already reads their own time; offsets under a day change the date at most by one.
    if (d.getTimezoneOffset()) parts.unshift((d.getDate() === d.getUTCDate() ? time : dated).format(d));
    const span = document.createElement('span');
    span.className = 'local';
    span.textContent = ` (${parts.join(', ')})`;
    el.after(span);
  }
})();
