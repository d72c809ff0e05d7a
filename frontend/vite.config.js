import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import { precompress } from './scripts/compress.mjs'

export default defineConfig({
  plugins: [vue(), precompress()],
  build: {
    outDir: process.env.IPHUB_DIST || 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // The statistics page's chunk carries the ECharts parts it imports (about 200 kB gzipped).
    chunkSizeWarningLimit: 700,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8000' } },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.js'],
  },
})
