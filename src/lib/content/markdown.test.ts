import { expect, test } from 'vitest';
import { renderMarkdown } from './markdown.ts';

test('renders ordinary Markdown', () => {
  expect(renderMarkdown('Logins **fail** for [some](https://example.org/) users.')).toBe(
    '<p>Logins <strong>fail</strong> for <a href="https://example.org/">some</a> users.</p>',
  );
});

test.each([
  // raw HTML is shown as text, never executed
  ['<script>alert(1)</script>', '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>'],
  ['Hi <img src=x onerror=alert(1)>', '<p>Hi &lt;img src=x onerror=alert(1)&gt;</p>'],
  // dangerous link schemes lose the link but keep the text
  ['[click](javascript:alert(1))', '<p>click</p>'],
  ['[click](java\nscript:alert(1))', '<p>[click](java\nscript:alert(1))</p>'],
  ['![x](data:image/svg+xml,<svg>)', '<p>x</p>'],
  // XMPP and mail links are allowed
  ['[room](xmpp:jdev@conference.jabber.org?join)', '<p><a href="xmpp:jdev@conference.jabber.org?join">room</a></p>'],
])('escapes or neutralises %j', (input, html) => {
  expect(renderMarkdown(input)).toBe(html);
});

test('shifts headings so they nest under the page headings', () => {
  expect(renderMarkdown('## What happened', 1)).toBe('<h3>What happened</h3>');
  expect(renderMarkdown('###### Deep', 2)).toBe('<h6>Deep</h6>');
});
