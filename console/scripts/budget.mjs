// After `vite build`: measures the gzipped JavaScript the sign-in page loads
// and the whole app, fails the build over budget, and writes a .gz beside
// each asset for the Go server to send to browsers that accept gzip.
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

const KiB = 1024
export const BUDGETS = { signInJs: 250 * KiB, app: 1.2 * KiB * KiB }

const here = dirname(fileURLToPath(import.meta.url))
const out = join(here, '..', '..', 'internal', 'webui', 'dist', 'console')
const manifestPath = join(out, '.vite', 'manifest.json')
if (!existsSync(manifestPath)) {
  console.error(`no build manifest at ${manifestPath}: run vite build first`)
  process.exit(1)
}
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'))

const gz = new Map()
function gzSize(file) {
  if (!gz.has(file)) {
    const body = readFileSync(join(out, file))
    const z = gzipSync(body, { level: 9 })
    gz.set(file, z.length)
    if (body.length > KiB) writeFileSync(join(out, file + '.gz'), z)
  }
  return gz.get(file)
}

// The files a route loads before it shows: its chunk and every static import, recursively.
function closure(keys) {
  const js = new Set()
  const css = new Set()
  const walk = (key) => {
    const c = manifest[key]
    if (!c || js.has(c.file)) return
    js.add(c.file)
    for (const f of c.css ?? []) css.add(f)
    for (const k of c.imports ?? []) walk(k)
  }
  keys.forEach(walk)
  return { js: [...js], css: [...css] }
}
const sum = (files) => files.reduce((n, f) => n + gzSize(f), 0)

const signIn = closure(['index.html', 'src/views/LoginView.vue'])
const assets = readdirSync(join(out, 'assets')).filter((f) => /\.(js|css)$/.test(f)).map((f) => `assets/${f}`)
const allJs = assets.filter((f) => f.endsWith('.js'))
const allCss = assets.filter((f) => f.endsWith('.css'))
const report = {
  signInJs: sum(signIn.js),
  signInCss: sum(signIn.css),
  appJs: sum(allJs),
  appCss: sum(allCss),
}
const app = report.appJs + report.appCss
const kb = (n) => `${(n / KiB).toFixed(1)} KiB`
console.log(`sign-in page: ${kb(report.signInJs)} JS (${signIn.js.length} files) + ${kb(report.signInCss)} CSS, gzipped; budget ${kb(BUDGETS.signInJs)} JS`)
console.log(`whole app:    ${kb(report.appJs)} JS + ${kb(report.appCss)} CSS = ${kb(app)} gzipped; budget ${kb(BUDGETS.app)}`)
writeFileSync(join(here, '..', 'bundle-sizes.json'), JSON.stringify({ ...report, app, budgets: BUDGETS }, null, 2) + '\n')
rmSync(join(out, '.vite'), { recursive: true, force: true }) // not served
// Unhashed files (index.html, favicon) are small and revalidated: no .gz.
let over = false
if (report.signInJs > BUDGETS.signInJs) {
  console.error(`OVER BUDGET: the sign-in page loads ${kb(report.signInJs)} of JS (budget ${kb(BUDGETS.signInJs)})`)
  over = true
}
if (app > BUDGETS.app) {
  console.error(`OVER BUDGET: the app is ${kb(app)} gzipped (budget ${kb(BUDGETS.app)})`)
  over = true
}
process.exit(over ? 1 : 0)
