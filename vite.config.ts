import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer bundle. No inline scripts or styles are emitted (the CSP forbids them), and the
// module-preload polyfill is off because it would be inlined.
export default defineConfig({
  root: 'renderer',
  base: '/',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    sourcemap: false,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 2048,
  },
});
