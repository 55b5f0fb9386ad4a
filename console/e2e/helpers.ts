// Shared by the journeys: an API client for arranging and checking what the
// server holds, sign-in through the real page, and a page fixture that fails
// a test on any Content-Security-Policy violation or uncaught error.
import { execFileSync } from 'node:child_process'
import { test as base, expect, type Locator, type Page } from '@playwright/test'

export const DEMO_PASSWORD = 'Demo2026zl'
export const ADMIN_PASSWORD = 'Zl-Boot-2026x'

export const baseURL = () => {
  const u = process.env.ZL_CONSOLE_URL
  if (!u) throw new Error('ZL_CONSOLE_URL is not set (global setup did not run)')
  return u
}

let ipSeq = 0
/** A client address of its own (TEST-NET-2), so per-IP sign-in limits apply per caller. */
export const nextIp = () => `198.51.100.${(ipSeq++ % 250) + 1}`

export interface Answer<T = any> {
  status: number
  code: string
  data: T
  msg?: string
  raw: Response
}

/** Calls /api/v1 as `token` (or anonymously). */
export async function call<T = any>(method: string, path: string, token = '', body?: unknown, ip = nextIp()): Promise<Answer<T>> {
  const headers: Record<string, string> = { 'X-Forwarded-For': ip }
  if (token) headers.Authorization = `Bearer ${token}`
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  const raw = await fetch(baseURL() + '/api/v1' + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  const type = raw.headers.get('Content-Type') ?? ''
  if (!type.startsWith('application/json')) return { status: raw.status, code: '', data: undefined as T, raw }
  const j = (await raw.json()) as { code: string; data: T; msg?: string }
  return { status: raw.status, code: j.code, data: j.data, msg: j.msg, raw }
}

/** Expects 2xx and returns the data. */
export async function must<T = any>(method: string, path: string, token = '', body?: unknown): Promise<T> {
  const r = await call<T>(method, path, token, body)
  if (r.status < 200 || r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${r.code} ${r.msg}`)
  return r.data
}

const tokens = new Map<string, string>()
/** A staff token (kept per username: the server allows 10 sign-ins a minute per username). */
export async function staffToken(username: string, password = DEMO_PASSWORD, fresh = false): Promise<string> {
  if (!fresh && tokens.has(username)) return tokens.get(username)!
  const out = await must<{ token: string }>('POST', '/auth/staff', '', { username, password })
  tokens.set(username, out.token)
  return out.token
}

/** The id of an org by name (public tree). */
export async function orgId(name: string): Promise<number> {
  const tree = await must<{ items: any[] }>('GET', '/orgs?tree=1')
  const walk = (nodes: any[]): number | undefined => {
    for (const n of nodes) {
      if (n.name === name) return n.id
      const f = walk(n.children ?? [])
      if (f) return f
    }
    return undefined
  }
  const id = walk(tree.items)
  if (!id) throw new Error(`no org named ${name}`)
  return id
}

export const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`

/** A resident signed in through the fake WeChat with a complete profile. */
export async function resident(community = '兆祥社区', residency: 'hukou' | 'non_hukou' = 'non_hukou') {
  const login = await must<{ token: string; resident: { id: number } }>('POST', '/auth/wechat', '', { code: unique('con') })
  await must('PUT', '/my/profile', login.token, { name: '测试居民', community_id: await orgId(community), residency })
  return { token: login.token, id: login.resident.id }
}

/** Submits a request as a resident (of the first category, or the one of that code); returns {id, number}. */
export async function submit(token: string, content: string, community = '兆祥社区', category = '') {
  const cats = await must<{ items: { id: number; code: string }[] }>('GET', '/categories')
  const cat = category ? cats.items.find((c) => c.code === category) : cats.items[0]
  if (!cat) throw new Error(`no category ${category}`)
  return must<{ id: number; number: string }>('POST', '/my/requests', token, { category_id: cat.id, content, community_id: await orgId(community) })
}

/** Runs SQL in the test server's own database (fixtures the API cannot make, e.g. a dead notification). */
export function sql(query: string): string {
  const db = process.env.ZL_CONSOLE_DB
  if (!db) throw new Error('ZL_CONSOLE_DB is not set')
  return execFileSync('mysql', ['-h127.0.0.1', '-uroot', '-N', db, '-e', query]).toString().trim()
}

/** Today in Asia/Shanghai, YYYY-MM-DD. */
export function shanghaiToday(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)
}

export const test = base.extend<{ ip: string }>({
  ip: async ({}, use) => use(nextIp()),
  context: async ({ context, ip }, use) => {
    await context.setExtraHTTPHeaders({ 'X-Forwarded-For': ip })
    await use(context)
  },
  page: async ({ page }, use, info) => {
    const problems: string[] = []
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text())
    })
    page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`))
    await use(page)
    expect(problems, `CSP violations or uncaught errors in "${info.title}"`).toEqual([])
  },
})
export { expect }

/** Signs in through the sign-in page. */
export async function signIn(page: Page, username: string, password = DEMO_PASSWORD, path = '/console/') {
  await page.goto(baseURL() + path)
  await page.locator('input[name=username]').fill(username)
  await page.locator('input[name=password]').fill(password)
  await page.getByRole('button', { name: '登录' }).click()
  await expect(page).not.toHaveURL(/\/login/)
}

/** Picks an option of an Element Plus select (opened by clicking it). */
export async function choose(page: Page, select: Locator, option: string | RegExp) {
  await select.click()
  const item = page.locator('.el-select-dropdown__item:visible', { hasText: option }).first()
  await item.click()
}

/** The input (or textarea) of a form item marked data-test="field-<key>". */
export const field = (page: Page, key: string) => page.getByTestId(`field-${key}`).locator('input, textarea').first()

/** Picks a date in an Element Plus date picker of a form item. */
export async function pickDate(page: Page, key: string, date: string) {
  const input = field(page, key)
  await input.click()
  await input.fill(date)
  await input.press('Enter')
}

/** Saves a screenshot of the journey's end into the test's output folder. */
export async function snap(page: Page, name: string) {
  await page.waitForLoadState('networkidle')
  // Let dialogs and messages finish closing.
  await page.locator('.el-overlay-dialog:visible, .el-overlay-message-box:visible').first().waitFor({ state: 'hidden', timeout: 3000 }).catch(() => {})
  await page.locator('.el-message').first().waitFor({ state: 'detached', timeout: 4000 }).catch(() => {})
  await page.waitForTimeout(400)
  await page.screenshot({ path: test.info().outputPath(`${name}.png`) })
}

/** The signed-in page's token (sessionStorage), to check or revoke it. */
export async function pageToken(page: Page): Promise<string> {
  return page.evaluate(() => JSON.parse(sessionStorage.getItem('zl.console.signin') ?? '{}').token ?? '')
}
