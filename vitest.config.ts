import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    // Installs Prosody, dnsmasq, openssl and Chromium when missing (root only).
    globalSetup: ['tests/global-setup.ts'],
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts', 'scripts/**/*.test.ts'],
    // Build and server tests start real processes; give them room on 2 cores.
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
