// Check that the committed dist/ is what the sources build to: build into a temporary folder
// and compare every file by SHA-256. Compressed twins (.gz, .br) may differ in bytes between
// zlib versions, so those are compared by their decompressed content. Exit 1 on any difference.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'

const root = new URL('..', import.meta.url).pathname
const committed = join(root, 'dist')
const fresh = mkdtempSync(join(tmpdir(), 'iphub-dist-'))

function files(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath ?? e.path, e.name)))
    .sort()
}
const sha = (data) => createHash('sha256').update(data).digest('hex')
const plain = (name, data) =>
  name.endsWith('.gz') ? gunzipSync(data) : name.endsWith('.br') ? brotliDecompressSync(data) : data

try {
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], {
    cwd: root, stdio: 'inherit', env: { ...process.env, IPHUB_DIST: fresh },
  })
  const want = files(fresh)
  const have = files(committed)
  const problems = []
  for (const name of want.filter((n) => !have.includes(n))) problems.push(`missing from dist: ${name}`)
  for (const name of have.filter((n) => !want.includes(n))) problems.push(`stale in dist: ${name}`)
  for (const name of want.filter((n) => have.includes(n))) {
    const a = readFileSync(join(fresh, name))
    const b = readFileSync(join(committed, name))
    if (sha(a) !== sha(b) && sha(plain(name, a)) !== sha(plain(name, b))) problems.push(`differs: ${name}`)
  }
  if (problems.length) {
    console.error(`frontend/dist does not match a fresh build (run: cd frontend && npm run build):\n  ${problems.join('\n  ')}`)
    process.exitCode = 1
  } else {
    console.log(`frontend/dist matches a fresh build (${want.length} files)`)
  }
} finally {
  rmSync(fresh, { recursive: true, force: true })
}
