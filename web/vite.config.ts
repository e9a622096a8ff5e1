/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite'
import react from '@vitejs/plugin-react'
import tailwindcss from '@tailwindcss/vite'
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

// The build lands in the Go package that embeds it (internal/web/dist).
const outDir = '../internal/web/dist'

// The Go package embeds `all:dist`, which must exist in a clean clone (no npm
// run yet). internal/web/dist/README.txt is committed; emptyOutDir wipes it,
// so the build writes the same bytes back and git sees no change.
const distReadme = `This directory is the built web UI (npm run build in web/), embedded by
internal/web. Everything here except this file is build output and ignored by git.
`

function keepDistReadme(): Plugin {
  return {
    name: 'segfault-dist-readme',
    apply: 'build',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'README.txt', source: distReadme })
    },
  }
}

// Precompress text assets so the Go handler can serve .gz without spending
// CPU per request. Only worth it above 1 KiB and when it actually shrinks.
function precompress(): Plugin {
  const compressible = /\.(js|mjs|css|html|svg|json|txt|ttf|map)$/
  return {
    name: 'segfault-precompress',
    apply: 'build',
    writeBundle(opts) {
      const dir = opts.dir ?? outDir
      const walk = (d: string) => {
        for (const name of readdirSync(d)) {
          const p = join(d, name)
          if (statSync(p).isDirectory()) walk(p)
          else if (compressible.test(name) && name !== 'README.txt') {
            const raw = readFileSync(p)
            if (raw.length < 1024) continue
            const gz = gzipSync(raw, { level: 9 })
            if (gz.length < raw.length * 0.9) writeFileSync(p + '.gz', gz)
          }
        }
      }
      walk(dir)
    },
  }
}

const backend = process.env.SEGFAULT_DEV_BACKEND ?? 'http://127.0.0.1:8080'

// The Go server refuses state-changing requests whose Origin is not its
// public URL. Through this dev/preview proxy the browser's origin is Vite's,
// so the proxy presents the backend's own origin instead (dev only: the
// built SPA is served same-origin by the Go binary).
const proxyTo = () => ({
  target: backend,
  changeOrigin: false,
  ws: true,
  configure(proxy: any) {
    const fix = (req: any) => {
      if (req.getHeader('origin')) req.setHeader('origin', new URL(backend).origin)
    }
    proxy.on('proxyReq', fix)
    proxy.on('proxyReqWs', fix)
  },
})
const proxy: Record<string, ReturnType<typeof proxyTo>> = {
  '/api': proxyTo(),
  '/auth': proxyTo(),
  '/healthz': proxyTo(),
}
// SEGFAULT_DEV_WS=0: a backend without the WebSocket endpoint yet; refusing
// the upgrade here fails fast instead of tying up proxied sockets.
if (process.env.SEGFAULT_DEV_WS !== '0') proxy['/ws'] = proxyTo()

// The Content-Security-Policy the Go server sends (internal/httpapi
// buildCSP), applied to the preview server too, so the e2e tests prove the
// built app runs under it (no inline scripts, workers from 'self').
const csp = (origin: string) =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: https:",
    "font-src 'self' data:",
    `connect-src 'self' ${origin.replace(/^http/, 'ws')}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
  ].join('; ')

const previewOrigin = process.env.SEGFAULT_PREVIEW_ORIGIN ?? 'http://127.0.0.1:4173'

export default defineConfig({
  plugins: [react(), tailwindcss(), keepDistReadme(), precompress()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0, // fonts and icons stay files (CSP allows data: but caching is better)
    reportCompressedSize: true,
    manifest: true,
    chunkSizeWarningLimit: 4096, // Monaco is big by nature; the budget script guards the initial load
  },
  resolve: {
    alias: {
      // monaco-editor's package exports map only .js files; its icon font CSS is imported by path.
      'monaco-codicon.css': fileURLToPath(new URL('./node_modules/monaco-editor/esm/vs/base/browser/ui/codicons/codicon/codicon.css', import.meta.url)),
    },
  },
  worker: { format: 'es' },
  server: { proxy },
  preview: { proxy, headers: { 'Content-Security-Policy': csp(previewOrigin) } },
  test: {
    environment: 'happy-dom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
    // Hang-only bounds: a component test takes milliseconds on a quiet
    // machine but several seconds at load 40 (vitest's default is 5 s).
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
})
