// Builds the Go server (with the console just built, embedded), starts it in
// test mode on a free port with its own database and Redis prefix (demo
// city, fake WeChat), waits for /readyz, and stops it afterwards (database
// dropped, keys deleted). Tests read the address from ZL_CONSOLE_URL.
import { execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', fail)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      srv.close(() => ok(port))
    })
  })
}

async function ready(url: string): Promise<boolean> {
  try {
    const r = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1000) })
    return r.status === 200
  } catch {
    return false
  }
}

export default async function globalSetup() {
  if (!existsSync(join(REPO, 'internal/webui/dist/console/index.html'))) {
    throw new Error('the console is not built: run `npm run build` in console/ first')
  }
  const tmp = mkdtempSync(join(tmpdir(), 'zlconsole-'))
  const bin = join(tmp, 'zhilian-server')
  execFileSync(process.env.GO || 'go', ['build', '-o', bin, './cmd/server'], {
    cwd: REPO,
    stdio: 'inherit',
    env: { ...process.env, GOFLAGS: process.env.GOFLAGS || '-mod=mod' },
  })
  const port = await freePort()
  const suffix = randomBytes(4).toString('hex')
  const db = `zlcon_${suffix}`
  const prefix = `zlcon:${suffix}:`
  const dataDir = join(tmp, 'data')
  mkdirSync(dataDir)
  const logPath = join(tmp, 'server.log')
  const log = openSync(logPath, 'a')
  const child = spawn(bin, [], {
    env: {
      ...process.env,
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
      // Each test names its own client address (X-Forwarded-For), so the
      // per-IP sign-in limit applies per test, not to the whole run.
      ZL_TRUSTED_PROXIES: '127.0.0.1/32',
    },
    stdio: ['ignore', log, log],
  })
  let exited: number | null = null
  child.on('exit', (code) => {
    exited = code ?? -1
  })
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 60_000
  while (!(await ready(url))) {
    if (exited !== null || Date.now() > deadline) {
      const tail = readFileSync(logPath, 'utf8').split('\n').slice(-20).join('\n')
      child.kill('SIGKILL')
      throw new Error(`the Go server did not become ready (exit ${exited}):\n${tail}`)
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  process.env.ZL_CONSOLE_URL = url
  process.env.ZL_CONSOLE_DB = db

  return async function globalTeardown() {
    if (child.exitCode === null) {
      await new Promise<void>((done) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL')
          done()
        }, 10_000)
        child.once('exit', () => {
          clearTimeout(timer)
          done()
        })
        child.kill('SIGTERM')
      })
    }
    try {
      execFileSync('mysql', ['-h127.0.0.1', '-uroot', '-e', `DROP DATABASE IF EXISTS \`${db}\``], { stdio: 'inherit' })
    } catch (err) {
      console.error(`could not drop ${db}: ${(err as Error).message}`)
    }
    try {
      const keys = execFileSync('redis-cli', ['-h', '127.0.0.1', '--scan', '--pattern', `${prefix}*`]).toString().split('\n').filter(Boolean)
      for (let i = 0; i < keys.length; i += 200) execFileSync('redis-cli', ['-h', '127.0.0.1', 'DEL', ...keys.slice(i, i + 200)])
    } catch {
      /* the keys expire on their own */
    }
    if (process.env.ZL_KEEP_LOG) console.log(readFileSync(logPath, 'utf8'))
    rmSync(tmp, { recursive: true, force: true })
  }
}
