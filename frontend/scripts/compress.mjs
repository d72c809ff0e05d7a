// A Vite plugin: write .gz and .br beside each text file of the build, for ServeStatic to serve.
// zlib output is a pure function of its input and settings, so the build stays deterministic.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

const TEXT = /\.(html|js|css|svg|json|txt|map)$/
const MIN_BYTES = 512

export function compressText(data) {
  return {
    gz: gzipSync(data, { level: 9 }),
    br: brotliCompressSync(data, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }),
  }
}

export function precompress() {
  return {
    name: 'iphub-precompress',
    apply: 'build',
    writeBundle(options, bundle) {
      for (const name of Object.keys(bundle).sort()) {
        if (!TEXT.test(name)) continue
        const path = join(options.dir, name)
        const data = readFileSync(path)
        if (data.length < MIN_BYTES) continue
        const { gz, br } = compressText(data)
        if (gz.length < data.length) writeFileSync(`${path}.gz`, gz)
        if (br.length < data.length) writeFileSync(`${path}.br`, br)
      }
    },
  }
}
