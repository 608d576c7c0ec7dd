/**
 * Every page and endpoint renders inside its own scope, so the live values
 * it reads from src/data.ts are noted against it (src/lib/site/page-reads.ts,
 * issue 28: the live lane re-renders exactly those pages).
 */
import { defineMiddleware } from 'astro/middleware';
import { inPage } from './lib/site/page-reads.ts';

export const onRequest = defineMiddleware((context, next) => inPage(context.routePattern, context.url.pathname, context.params, next));
