/**
 * `npm run dev` follows content edits. Content is read by src/data.ts, not
 * through Astro's content collections, so Vite does not know that
 * `incidents/` and `content/` feed the pages: without this, an edited
 * incident (or an invalid `impact: severe`) never showed up until a restart.
 *
 * On any change under the content folders it checks the content at once
 * (problems go to the terminal, in the `file:line: field: message` form),
 * drops every server-side module so src/data.ts reads the files again, and
 * reloads the browser. Invalid content then shows as the build error
 * overlay, as a code error would; fixing the file clears it.
 */
import { join, relative } from 'node:path';
import type { AstroIntegration } from 'astro';
import { loadContent } from '../lib/content/load-content-io.ts';
import { formatProblems } from '../lib/content/problems.ts';

export function contentReload(root: string): AstroIntegration {
  const folders = [join(root, 'incidents'), join(root, 'content')];
  return {
    name: 'jabber-status:content-reload',
    hooks: {
      'astro:server:setup': ({ server, logger }) => {
        server.watcher.add(folders);
        let timer: ReturnType<typeof setTimeout> | undefined;
        const changed = (file: string) => {
          if (!folders.some((f) => file.startsWith(f))) return;
          // Editors write a file in several steps; act once they are done.
          clearTimeout(timer);
          timer = setTimeout(() => {
            const result = loadContent(root);
            if (result.ok) logger.info(`${relative(root, file)} changed; content is valid, reloading.`);
            else logger.error(`${relative(root, file)} changed; the content has problems:\n${formatProblems(result.problems)}`);
            for (const env of Object.values(server.environments)) env.moduleGraph.invalidateAll();
            server.environments.client.hot.send({ type: 'full-reload' });
          }, 100);
        };
        server.watcher.on('add', changed);
        server.watcher.on('change', changed);
        server.watcher.on('unlink', changed);
      },
    },
  };
}
