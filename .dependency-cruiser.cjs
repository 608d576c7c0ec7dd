/**
 * Import rules for the whole project, checked in `npm test`
 * (tests/import-rules.test.ts runs dependency-cruiser over the tree and over
 * the frontmatter of every .astro file). See src/lib/README.md for why each
 * domain may import what it does.
 * @type {import('dependency-cruiser').IConfiguration}
 */
const IO_MODULES = '^(node:)?(fs|fs/promises|net|tls|dns|dns/promises|http|https|http2|child_process|readline|dgram|worker_threads)$';
const LIB = '^src/lib/';
const TEST = '\\.test\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'alert-stands-alone',
      severity: 'error',
      comment:
        'Alerts must work when everything else is broken: src/lib/alert imports nothing else from src/lib (except the atomic write, a leaf that imports nothing from src), and only entry points import it.',
      from: { path: '^src/lib/alert/' },
      to: { path: '^src/(?!lib/alert/|lib/shared/atomic-write-io\\.ts$)' },
    },
    {
      name: 'atomic-write-is-a-leaf',
      severity: 'error',
      comment: 'Alerts use the atomic write when everything else is broken, so it imports nothing from src.',
      from: { path: '^src/lib/shared/atomic-write-io\\.ts$' },
      to: { path: '^src/' },
    },
    {
      name: 'alert-is-for-entry-points',
      severity: 'error',
      from: { path: '^src/(?!lib/alert/)' },
      to: { path: '^src/lib/alert/' },
    },
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'Modules form a tree of domains; a cycle means two domains are one, or one is in the wrong place.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'lib-is-not-astro',
      severity: 'error',
      comment: 'src/lib is plain TypeScript that tests and scripts can run: no Astro runtime, pages, components, layouts or src/data.ts.',
      from: { path: LIB },
      to: { path: ['^src/(pages|components|layouts)/', '^src/data\\.ts$', '^(node_modules/)?astro(/(?!zod)|$)'] },
    },
    {
      name: 'lib-is-not-astro-virtual',
      severity: 'error',
      comment: 'No astro:* virtual module in src/lib (they only exist inside a build).',
      from: { path: LIB },
      to: { path: '^astro:' },
    },
    {
      name: 'pure-modules-do-no-io',
      severity: 'error',
      comment: 'Only *-io.ts modules (and tests) touch the disk or the network, so the pure core is visible by name.',
      from: { path: LIB, pathNot: ['-io\\.ts$', TEST] },
      to: { dependencyTypes: ['core'], path: IO_MODULES },
    },
    {
      name: 'shared-imports-nothing',
      severity: 'error',
      from: { path: '^src/lib/shared/' },
      to: { path: '^src/lib/(?!shared/)' },
    },
    {
      name: 'schemas-import-nothing',
      severity: 'error',
      comment:
        'The schema modules (schemas.ts, the index, and schemas/, one per concept) sit below every domain: only shared helpers (time, text) and each other.',
      from: { path: '^src/lib/schemas(\\.ts$|/)' },
      to: { path: '^src/(?!lib/shared/|lib/schemas/)' },
    },
    {
      name: 'content-stays-low',
      severity: 'error',
      comment: 'The content model is the base every domain builds on; it knows nothing of them.',
      from: { path: '^src/lib/content/', pathNot: TEST },
      to: { path: '^src/lib/(status|monitoring|publish|xmpp)/' },
    },
    {
      name: 'xmpp-is-self-contained',
      severity: 'error',
      comment: 'The probe runs on probe hosts without the site: schemas and shared helpers only.',
      from: { path: '^src/lib/xmpp/', pathNot: TEST },
      to: { path: '^src/lib/(status|monitoring|publish|content)/' },
    },
    {
      name: 'monitoring-below-status',
      severity: 'error',
      from: { path: '^src/lib/monitoring/', pathNot: TEST },
      to: { path: '^src/lib/(status|publish|xmpp)/' },
    },
    {
      name: 'status-below-publish',
      severity: 'error',
      from: { path: '^src/lib/status/', pathNot: TEST },
      to: { path: '^src/lib/(publish|xmpp)/' },
    },
    {
      name: 'publish-reads-status-only-through-status',
      severity: 'error',
      comment: 'Feeds, API, badges and calendar show the status computed once by src/lib/status; they never merge probe data themselves.',
      from: { path: '^src/lib/publish/' },
      to: { path: '^src/lib/(monitoring|xmpp)/' },
    },
    {
      name: 'notify-follows-the-feeds-and-status',
      severity: 'error',
      comment:
        'The notifier sends the feed entries (publish/) and the status (status/) exactly as the site computes them; it never reads probe data or the probe itself (issue 15).',
      from: { path: '^src/lib/notify/' },
      to: { path: '^src/lib/(monitoring|xmpp)/' },
    },
    {
      name: 'notify-is-a-leaf',
      severity: 'error',
      comment: 'Nothing in the site depends on the notifier; only its scripts and tests import it.',
      from: { path: '^src/(?!lib/notify/)' },
      to: { path: '^src/lib/notify/' },
    },
    {
      name: 'pages-read-status-only-through-status',
      severity: 'error',
      comment: 'Pages get merged monitoring and status from src/data.ts and src/lib/status, never by merging or reading probe data themselves.',
      from: { path: '^src/(pages|components|layouts)/' },
      to: { path: '^src/lib/monitoring/(merge-probes|probe-log|probe-summary|.*-io)\\.ts$|^src/lib/.*-io\\.ts$' },
    },
    {
      name: 'release-builds-but-does-not-render',
      severity: 'error',
      comment:
        'src/lib/release decides when to build and switches releases; what pages say is computed by the build, never here (it reads content and monitoring only to know whether anything changed).',
      from: { path: '^src/lib/release/' },
      to: { path: '^src/lib/(status|publish|xmpp)/' },
    },
    {
      name: 'release-is-on-top',
      severity: 'error',
      comment: 'Only entry points (scripts, bench, tests) use src/lib/release; the site itself never imports it.',
      from: { path: '^src/(?!lib/release/)' },
      to: { path: '^src/lib/release/' },
    },
    {
      name: 'present-shapes-what-status-says',
      severity: 'error',
      comment:
        'src/lib/present holds pure helpers for the pages (banner words, charts); it reads status/, content/, shared/ and schemas.ts, never probe data, feeds or the probe (issue 12).',
      from: { path: '^src/lib/present/' },
      to: { path: '^src/lib/(monitoring|xmpp|publish|notify|release)/' },
    },
    {
      name: 'directory-judges-from-probe-data',
      severity: 'error',
      comment:
        'src/lib/directory (issue 17) applies the listing policy to content, summaries and probe records: it may read content/, monitoring/, status/ and the pure xmpp/ modules, never feeds, notifications, releases or the network code of the probe (scripts/policy.ts and scripts/probe.ts run probes and hand over the records).',
      from: { path: '^src/lib/directory/' },
      to: { path: ['^src/lib/(publish|notify|release|present)/', '^src/lib/xmpp/.*-io\\.ts$'] },
    },
    {
      name: 'directory-below-the-site',
      severity: 'error',
      comment: 'Nothing below the pages depends on the directory: content, monitoring, status, publish and the probe know nothing of it.',
      from: { path: '^src/lib/(?!directory/|site/)' },
      to: { path: '^src/lib/directory/' },
    },
    {
      name: 'site-assembles-the-domains',
      severity: 'error',
      comment:
        'src/lib/site/ assembles what the domains compute (status, feeds, monitoring, the directory); it never reaches the commands, the notifier, the release or the markup helpers.',
      from: { path: '^src/lib/site/' },
      to: { path: '^src/lib/(admin|notify|release|present)/' },
    },
    {
      name: 'site-is-for-entry-points',
      severity: 'error',
      comment:
        'Only src/data.ts, scripts and tests call the assembly (and the notifier its content half, which reads no monitoring); a domain that needed it would be assembling its own copy.',
      from: { path: '^src/lib/(?!site/)', pathNot: ['^src/lib/notify/', TEST] },
      to: { path: '^src/lib/site/' },
    },
    {
      name: 'notify-reads-only-the-content-half',
      severity: 'error',
      from: { path: '^src/lib/notify/' },
      to: { path: '^src/lib/site/(?!content-view\\.ts$)' },
    },
    {
      name: 'admin-is-above-the-domains',
      comment: 'The authoring commands build on content, status and monitoring; no domain depends on them.',
      severity: 'error',
      from: { path: '^src/lib/(?!admin/)', pathNot: TEST },
      to: { path: '^src/lib/admin/' },
    },
    {
      name: 'certs-stay-low',
      severity: 'error',
      comment:
        'src/lib/certs (issue 30) judges certificates from summaries, announcements and its own history: schemas, shared and content only, so the notifier (which must not read probe data) can send its changes and the pages can show them.',
      from: { path: '^src/lib/certs/' },
      to: { path: '^src/lib/(monitoring|status|publish|notify|xmpp|directory|present|release|admin|alert)/' },
    },
    {
      name: 'scripts-are-entry-points',
      severity: 'error',
      comment: 'Nothing imports a command-line script; shared code lives in src/lib.',
      from: {},
      to: { path: '^scripts/' },
    },
    {
      name: 'site-does-not-import-tests-or-bench',
      severity: 'error',
      from: { path: '^(src|scripts)/', pathNot: TEST },
      to: { path: '^(tests|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|bench/out|\\.astro)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.mjs', '.js'] },
  },
};
