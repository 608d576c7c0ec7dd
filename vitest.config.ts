import { defineConfig } from 'vitest/config';

// Two projects (issue 24): "unit" is the pure modules' tests beside their
// code (src/, scripts/), quick enough to run on every save; "system" is
// tests/, which builds sites and starts real servers (Prosody, ejabberd,
// dnsmasq, nginx, Chromium, SMTP). `npm test` runs both; `npm run test:unit`
// and `npm run test:system` run one.
export default defineConfig({
  test: {
    environment: 'node',
    // Build and server tests start real processes; give them room on 2 cores.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'system',
          include: ['tests/**/*.test.ts'],
          // Installs Prosody, ejabberd, dnsmasq, openssl, nginx and Chromium when missing (root only).
          globalSetup: ['tests/global-setup.ts'],
        },
      },
    ],
  },
});
