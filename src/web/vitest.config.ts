import { defineConfig } from 'vitest/config';

// Unit tests of the framework-free client module: plain Node, no DOM, no Svelte.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    restoreMocks: true,
    unstubGlobals: true,
  },
});
