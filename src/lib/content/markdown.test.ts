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

test('a table scrolls inside its own labelled, focusable box, and code blocks can be focused to scroll', () => {
  expect(renderMarkdown('| a | b |\n| - | - |\n| 1 | 2 |\n\n```\nlong line\n```')).toMatchInlineSnapshot(`
    "<div class="table-scroll" role="region" aria-label="Table" tabindex="0"><table>
    <thead>
    <tr>
    <th>a</th>
    <th>b</th>
    </tr>
    </thead>
    <tbody><tr>
    <td>1</td>
    <td>2</td>
    </tr>
    </tbody></table></div>
    <pre tabindex="0"><code>long line
    </code></pre>"
  `);
});

test('raw HTML that looks like a table stays escaped text', () => {
  expect(renderMarkdown('<table><tr><td>x</td></tr></table>')).not.toContain('<div class="table-scroll"');
});
