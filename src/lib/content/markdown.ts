/**
 * The one Markdown renderer for pages and feeds (marked), so an incident reads
 * the same on the site and in a feed reader.
 *
 * Raw HTML in Markdown is escaped, not passed through or sanitized by an
 * allowlist: status posts never need it, and escaping cannot be bypassed.
 * Links and images keep only safe schemes (http, https, mailto, xmpp and
 * relative URLs), so a `javascript:` link is rendered as plain text.
 */
import { Marked, type Tokens } from 'marked';

const SAFE_URL = /^(https?:|mailto:|xmpp:|\/|#|\.{0,2}\/)/i;

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function isSafeUrl(href: string): boolean {
  // Strip characters browsers ignore inside a scheme ("java\nscript:").
  const compact = href.replace(/[\u0000-\u0020\u007f]/g, '');
  return SAFE_URL.test(compact) || !/^[a-z][a-z0-9+.-]*:/i.test(compact);
}

/**
 * Wide tables and long code lines scroll inside their own box instead of
 * widening the page (a 13-column table made a phone page 332 px wide at
 * 320 px). The box is focusable and labelled so keyboard users can scroll it
 * too (axe: scrollable-region-focusable). Raw HTML is escaped above, so the
 * only `<table>` and `<pre>` tags here are the ones marked wrote.
 */
function boxWideBlocks(html: string): string {
  return html
    .replace(/<table>/g, '<div class="table-scroll" role="region" aria-label="Table" tabindex="0"><table>')
    .replace(/<\/table>/g, '</table></div>')
    .replace(/<pre>/g, '<pre tabindex="0">');
}

function createRenderer(shiftHeadings: number) {
  return new Marked({
  gfm: true,
  async: false,
  hooks: { postprocess: boxWideBlocks },
  renderer: {
    heading(token: Tokens.Heading) {
      const level = Math.min(6, token.depth + shiftHeadings);
      return `<h${level}>${this.parser.parseInline(token.tokens)}</h${level}>\n`;
    },
    html(token: Tokens.HTML | Tokens.Tag) {
      const text = escapeHtml(token.text);
      // A block of raw HTML becomes a paragraph of visible text.
      return 'block' in token && token.block ? `<p>${text.trim()}</p>\n` : text;
    },
    link(token: Tokens.Link) {
      const text = this.parser.parseInline(token.tokens);
      if (!isSafeUrl(token.href)) return text;
      const title = token.title ? ` title="${escapeHtml(token.title)}"` : '';
      return `<a href="${escapeHtml(token.href)}"${title}>${text}</a>`;
    },
    image(token: Tokens.Image) {
      if (!isSafeUrl(token.href)) return escapeHtml(token.text);
      return `<img src="${escapeHtml(token.href)}" alt="${escapeHtml(token.text)}" loading="lazy">`;
    },
  },
  });
}

const renderers = new Map<number, Marked>();

/**
 * Renders Markdown to HTML.
 * @param markdown e.g. `Logins **fail** for some users.`
 * @param shiftHeadings levels to push headings down so they nest under the
 *   page's own, e.g. `1` turns `## What happened` into `<h3>`
 */
export function renderMarkdown(markdown: string, shiftHeadings = 0): string {
  let marked = renderers.get(shiftHeadings);
  if (!marked) renderers.set(shiftHeadings, (marked = createRenderer(shiftHeadings)));
  return (marked.parse(markdown) as string).trim();
}
