/**
 * Every colour that carries a day's or a component's state is at least 3:1
 * against the page and card backgrounds, in light and dark (WCAG 1.4.11
 * non-text contrast; issue 27: "no data" bars were 1.43:1). Read from the
 * stylesheet itself, so a new colour cannot slip past.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';

const CSS = readFileSync('src/styles/site.css', 'utf8');
const dark = CSS.indexOf('@media (prefers-color-scheme: dark)');

/** The custom properties of one `:root` block, e.g. `{ bg: '#fff' }`. */
function variables(block: string): Record<string, string> {
  return Object.fromEntries([...block.matchAll(/--([a-z-]+):\s*(#[0-9a-f]{3,6})\s*;/gi)].map((m) => [m[1]!, m[2]!]));
}
const SCHEMES = {
  light: variables(CSS.slice(0, dark)),
  dark: { ...variables(CSS.slice(0, dark)), ...variables(CSS.slice(dark, CSS.indexOf('}', CSS.indexOf('}', dark) + 1))) },
};

/** WCAG 2 relative luminance of `#rgb` or `#rrggbb`. */
function luminance(hex: string): number {
  const h = hex.length === 4 ? hex.replace(/^#(.)(.)(.)$/, '#$1$1$2$2$3$3') : hex;
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(h.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
};

// The variable behind each .bar-* class, read from the stylesheet.
// Any layout of the rule (the formatter writes it over three lines).
const BAR_VARS = [...CSS.matchAll(/\.bar-([a-z]+)\s*\{\s*color:\s*var\(--([a-z]+)\);\s*\}/g)].map((m) => [m[1]!, m[2]!] as const);

test('the stylesheet names a colour for every day class, "no data" included', () => {
  expect(BAR_VARS.map(([cls]) => cls).sort()).toEqual(['degraded', 'maintenance', 'major', 'none', 'ok', 'partial']);
});

test.each(
  (['light', 'dark'] as const).flatMap((scheme) => BAR_VARS.flatMap(([cls, v]) => (['bg', 'card'] as const).map((bg) => [scheme, cls, v, bg] as const))),
)('in %s mode the %s bar (--%s) is at least 3:1 against --%s', (scheme, _cls, v, bg) => {
  const vars = SCHEMES[scheme] as Record<string, string>;
  expect(vars[v], `--${v} in ${scheme}`).toBeDefined();
  expect(contrast(vars[v]!, vars[bg]!)).toBeGreaterThanOrEqual(3);
});
