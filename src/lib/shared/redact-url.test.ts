import { describe, expect, test } from 'vitest';
import { redactUrl, redactUrlsIn } from './redact-url.ts';

describe('redactUrl', () => {
  test.each([
    // [address, what a message may show]
    ['https://bot:hunter2@hooks.slack.com/services/T0/B0/xyz', 'https://hooks.slack.com/…'],
    ['https://discord.com/api/webhooks/123/secret-token', 'https://discord.com/…'],
    ['https://example.webhook.office.com/webhookb2/abc/IncomingWebhook/def', 'https://example.webhook.office.com/…'],
    ['https://chat.example.net/hooks/abcdef', 'https://chat.example.net/…'],
    ['https://user:pass@probe.example/summary.json?key=abc#x', 'https://probe.example/summary.json?…'],
    ['https://status.jabber.org/feeds/incidents.atom', 'https://status.jabber.org/feeds/incidents.atom'],
    ['not a url', '(not a URL)'],
  ])('%s → %s', (url, shown) => {
    expect(redactUrl(url)).toBe(shown);
  });

  test('URLs inside a message are redacted, the sentence around them kept', () => {
    expect(redactUrlsIn('Request cannot be constructed from a URL that includes credentials: https://ops:s3cret@hooks.example.org/hooks/T0k3n.')).toBe(
      'Request cannot be constructed from a URL that includes credentials: https://hooks.example.org/….',
    );
    expect(redactUrlsIn('no answer (http://a:b@x.example/p?q=1)')).toBe('no answer (http://x.example/p?…)');
  });
});
