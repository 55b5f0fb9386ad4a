// Fails when any WXML of the project does not compile with the official
// compiler (wcc from miniprogram-compiler), or when a page/component listed
// in app.json or usingComponents has no .wxml/.js/.json.
const fs = require('fs')
const path = require('path')
const compiler = require('miniprogram-compiler')

const root = path.resolve(__dirname, '..')
const problems = []

const app = JSON.parse(fs.readFileSync(path.join(root, 'app.json'), 'utf8'))
const seen = new Set()
function check(rel) {
  if (seen.has(rel)) return
  seen.add(rel)
  for (const ext of ['.js', '.json', '.wxml', '.wxss']) {
    if (!fs.existsSync(path.join(root, rel + ext))) problems.push(`${rel}${ext} is missing`)
  }
  const jsonPath = path.join(root, `${rel}.json`)
  if (!fs.existsSync(jsonPath)) return
  const json = JSON.parse(fs.readFileSync(jsonPath, 'utf8'))
  for (const [tag, p] of Object.entries(json.usingComponents || {})) {
    if (p.startsWith('/')) problems.push(`${rel}.json: use a relative path for <${tag}> (${p})`)
    check(path.relative(root, path.resolve(path.dirname(path.join(root, rel)), p)))
  }
}
app.pages.forEach(check)

try {
  compiler.wxmlToJs(root)
} catch (err) {
  problems.push(String(err && err.message ? err.message : err))
}

if (problems.length) {
  console.error(`WXML check failed:\n${problems.join('\n')}`)
  process.exit(1)
}
console.log(`WXML check: ${seen.size} pages and components compile`)
