// Builds the Go server from the repository root, starts it in test mode on a
// free port with its own database and Redis prefix (fake WeChat, demo city),
// and waits for /readyz. The base URL reaches the tests as ZL_TEST_BASE_URL.
const { execFileSync, spawn } = require('child_process')
const crypto = require('crypto')
const fs = require('fs')
const http = require('http')
const net = require('net')
const os = require('os')
const path = require('path')

const REPO = path.resolve(__dirname, '..', '..', '..')

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

function ready(url) {
  return new Promise((resolve) => {
    const req = http.get(`${url}/readyz`, (res) => {
      res.resume()
      resolve(res.statusCode === 200)
    })
    req.on('error', () => resolve(false))
    req.setTimeout(1000, () => req.destroy())
  })
}

/** POST /api/v1/auth/staff → {token, account}. */
function signIn(url, username, password) {
  const body = JSON.stringify({ username, password })
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/api/v1/auth/staff`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => {
        const out = JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null')
        if (res.statusCode !== 200) reject(new Error(`sign-in ${username}: ${res.statusCode} ${JSON.stringify(out)}`))
        else resolve(out.data)
      })
    })
    req.on('error', reject)
    req.end(body)
  })
}

module.exports = async function globalSetup() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zlmp-'))
  const bin = path.join(tmp, 'zhilian-server')
  execFileSync(process.env.GO || 'go', ['build', '-o', bin, './cmd/server'], {
    cwd: REPO,
    stdio: 'inherit',
    env: Object.assign({}, process.env, { GOFLAGS: process.env.GOFLAGS || '-mod=mod' }),
  })

  const suffix = crypto.randomBytes(4).toString('hex')
  // ZL_TEST_PREFIX (default zl) names this checkout's test databases and keys,
  // so two checkouts can test against one server: <prefix>mp_<random>.
  const base = process.env.ZL_TEST_PREFIX ? `${process.env.ZL_TEST_PREFIX}mp_` : 'zlmp_'
  const db = `${base}${suffix}`
  const prefix = `${base}${suffix}:`
  const dataDir = path.join(tmp, 'data')
  fs.mkdirSync(dataDir)
  const logPath = path.join(tmp, 'server.log')
  const log = fs.openSync(logPath, 'a')
  let url = ''
  // The port is free when asked for but the server binds it only after its
  // migrations (seconds on a busy machine): a port taken meanwhile by another
  // process's outgoing connection is tried again with another one.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort()
    const child = spawn(bin, [], {
      env: Object.assign({}, process.env, {
        ZL_ENV: 'test',
        ZL_CONTRACT_CHECK: '1', // every exchange checked against /openapi.yaml
        ZL_DEMO: '1',
        ZL_ADMIN_PASSWORD: 'Zl-Boot-2026x',
        ZL_HTTP_ADDR: `127.0.0.1:${port}`,
        ZL_METRICS_ADDR: '127.0.0.1:0',
        ZL_MYSQL_DSN: `root@tcp(127.0.0.1:3306)/${db}?parseTime=true&loc=UTC&charset=utf8mb4`,
        ZL_REDIS_PREFIX: prefix,
        ZL_BLOB_URL: `file://${dataDir}`,
        ZL_LOG_LEVEL: 'warn',
        // The wx shim and test helpers stand for a reverse proxy and name a
        // client address per test file (X-Forwarded-For), so the per-IP limits
        // (60 WeChat sign-ins a minute) apply to each file, not to the whole run.
        ZL_TRUSTED_PROXIES: '127.0.0.1/32',
      }),
      stdio: ['ignore', log, log],
    })
    let exited = null
    child.on('exit', (code) => {
      exited = code
    })
    globalThis.__ZLMP__ = { child, tmp, db, prefix, logPath }

    url = `http://127.0.0.1:${port}`
    const deadline = Date.now() + 60000
    let up = false
    while (!(up = await ready(url))) {
      if (exited !== null || Date.now() > deadline) break
      await new Promise((r) => setTimeout(r, 200))
  }
  if (up) break
  const tail = fs.readFileSync(logPath, 'utf8').split('\n').slice(-20).join('\n')
  if (exited !== null && attempt < 3 && /address already in use/.test(tail)) continue
  throw new Error(`the Go server did not become ready (exit ${exited}):\n${tail}`)
  }
  process.env.ZL_TEST_BASE_URL = url
  // The server allows 10 sign-ins a minute per username, and many files work
  // as the demo cadre of 祖庙街道: they share this one sign-in (never logged
  // out); files that revoke a token sign in on their own.
  process.env.ZL_TEST_CADRE = JSON.stringify(await signIn(url, 'zumiao_cadre', 'Demo2026zl'))
  // The server's clock cannot be moved: a test that needs an overdue item
  // backdates it in this database (test/helpers/city.js backdate).
  process.env.ZL_TEST_DB = db
}
