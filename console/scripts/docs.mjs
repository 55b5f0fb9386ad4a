// Builds /docs: Swagger UI (swagger-ui-dist from npm, so it works offline)
// reading /openapi.yaml, into internal/webui/dist/docs. File names carry a
// content hash so the server may cache them for a year; no inline script or
// style, so the strict Content-Security-Policy holds.
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

const here = dirname(fileURLToPath(import.meta.url))
const out = join(here, '..', '..', 'internal', 'webui', 'dist', 'docs')
const ui = join(here, '..', 'node_modules', 'swagger-ui-dist')
rmSync(out, { recursive: true, force: true })
mkdirSync(join(out, 'assets'), { recursive: true })

function emit(base, ext, body) {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 10)
  const name = `assets/${base}-${hash}.${ext}`
  writeFileSync(join(out, name), body)
  writeFileSync(join(out, name + '.gz'), gzipSync(body, { level: 9 }))
  return name
}

const js = emit('swagger-ui-bundle', 'js', readFileSync(join(ui, 'swagger-ui-bundle.js')))
const css = emit('swagger-ui', 'css', readFileSync(join(ui, 'swagger-ui.css')))
const init = emit(
  'init',
  'js',
  Buffer.from(
    `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.yaml',
    dom_id: '#swagger-ui',
    deepLinking: true,
    docExpansion: 'none',
    defaultModelsExpandDepth: 0,
    persistAuthorization: false,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  })
})
`,
  ),
)
const page = emit(
  'page',
  'css',
  Buffer.from(
    `body{margin:0;font-family:system-ui,sans-serif}header{background:#1f2d3d;color:#fff;padding:12px 20px;display:flex;gap:16px;align-items:center}
header a{color:#cfd6df;text-decoration:none}header b{font-size:16px}`,
  ),
)
writeFileSync(
  join(out, 'index.html'),
  `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>直联 Zhilian API · 接口文档</title>
<link rel="stylesheet" href="/docs/${css}">
<link rel="stylesheet" href="/docs/${page}">
</head>
<body>
<header><b>直联 Zhilian API</b><a href="/openapi.yaml">openapi.yaml</a><a href="/console/">工作台</a></header>
<div id="swagger-ui"></div>
<script src="/docs/${js}"></script>
<script src="/docs/${init}"></script>
</body>
</html>
`,
)
console.log(`docs: ${out}`)
