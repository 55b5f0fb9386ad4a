// The statistics page (pages/work/stats) against the real server: a resident's
// item is made and resolved through the API, then the demo cadre of 祖庙街道
// opens the page and it shows exactly the figures GET /api/v1/work/stats
// answers for the same period (headline rate, collected, resolved + responded,
// overdue, the non-hukou share and rate, the categories with items), this
// month and this year, in normal and elder mode. No network and a revoked
// token (401) give readable messages.
const { render, waitFor, fire, text, call, cadre, asCadre, staffToken, elderClass, closedURL, wxState } = require('./helpers/mp')
const { resident, must } = require('./helpers/city')
const session = require('../utils/session')
const prefs = require('../utils/prefs')
const routes = require('../utils/routes')

const NETWORK = '网络连接失败，请检查网络后重试'
const STAMP = Date.now().toString(36)
let item

/** The period the page asks for: business days [from, to) in Beijing time. */
function period(key) {
  const bj = new Date(Date.now() + 8 * 3600 * 1000)
  const y = bj.getUTCFullYear()
  const m = bj.getUTCMonth() // 0-based
  const day = (yy, mm) => new Date(Date.UTC(yy, mm, 1)).toISOString().slice(0, 10)
  if (key === 'month') return { from: day(y, m), to: day(y, m + 1) }
  return { from: `${y}-01-01`, to: `${y + 1}-01-01` }
}

async function serverStats(key) {
  const q = period(key)
  return must(await call('GET', `/work/stats?from=${q.from}&to=${q.to}`, undefined, cadre().token), 'work stats')
}

// what the page shows of a report (as_of changes on every computation)
const shown = (s) =>
  JSON.stringify([s.org, s.rate_pct, s.collected, s.resolved, s.responded, s.overdue, s.by_residency.non_hukou, s.by_category.map((c) => [c.category_id, c.name, c.collected, c.resolved, c.responded, c.rate_pct])])

/**
 * Loads the page (load = its load or a period tap) between two fetches of the
 * server's report, until both agree: other test files change items meanwhile.
 */
async function loadStable(p, key, load) {
  for (let i = 0; i < 5; i++) {
    const before = await serverStats(key)
    await load()
    await waitFor(() => p.instance.data.state !== 'loading', 'the figures')
    const after = await serverStats(key)
    if (shown(before) === shown(after)) return after
  }
  throw new Error('the figures kept changing')
}

const pct = (r) => `${(Math.round(r * 1000) / 10).toFixed(1)}%`

/** The page shows exactly the report's figures. */
function expectFigures(p, s) {
  expect(p.instance.data.state).toBe('ready')
  expect(text(p, '#org')).toBe(s.org.name)
  expect(text(p, '#rate')).toBe(s.rate_pct)
  expect(text(p, '#collected')).toBe(String(s.collected))
  expect(text(p, '#closed')).toBe(String(s.resolved + s.responded))
  expect(text(p, '#closed-split')).toBe(`其中已解决 ${s.resolved} 件，已答复 ${s.responded} 件`)
  expect(text(p, '#overdue')).toBe(String(s.overdue))
  const non = s.by_residency.non_hukou
  expect(text(p, '#non-hukou-collected')).toBe(String(non.collected))
  expect(text(p, '#non-hukou-share')).toBe(pct(non.share))
  expect(text(p, '#non-hukou-rate')).toBe(non.rate_pct)
  // the categories with items, most first (at most five)
  const cats = s.by_category
    .filter((c) => c.collected > 0)
    .sort((a, b) => b.collected - a.collected || a.category_id - b.category_id)
    .slice(0, 5)
  expect(p.dom.querySelectorAll('.main--category').length).toBe(cats.length)
  cats.forEach((c) => {
    const row = text(p, `#category-${c.category_id}`).replace(/\s+/g, ' ')
    expect(row).toContain(c.name)
    expect(row).toContain(`${c.collected} 件`)
    expect(row).toContain(`办结 ${c.resolved + c.responded} 件，解决或答复率 ${c.rate_pct}`)
  })
}

beforeAll(async () => {
  // a non-hukou resident's item (category 1), accepted and resolved by the cadre
  const r = await resident(`mp-stats-${STAMP}`, { name: '统计测试居民', residency: 'non_hukou' })
  const req = must(await call('POST', '/my/requests', { category_id: 1, content: `小区路灯不亮，晚上出行不便（${STAMP}）`, community_id: r.resident.community_id }, r.token), 'submit')
  must(await call('POST', `/work/requests/${req.id}/accept`, {}, cadre().token), 'accept')
  must(await call('POST', `/work/requests/${req.id}/resolve`, { result: '已更换路灯灯泡，恢复照明' }, cadre().token), 'resolve')
  item = must(await call('GET', `/work/requests/${req.id}`, undefined, cadre().token), 'the item')
})

test('the demo cadre sees the server\'s figures for this month and this year, with the resolved item counted', async () => {
  expect(item.status).toBe('resolved')
  asCadre()
  prefs.setElder(false)
  const p = render(routes.stats)
  const month = await loadStable(p, 'month', () => p.instance.onLoad())
  expect(p.instance.data.period).toBe('month')
  expectFigures(p, month)
  // the item made above is in these figures
  expect(month.collected).toBeGreaterThanOrEqual(1)
  expect(month.resolved).toBeGreaterThanOrEqual(1)
  expect(month.by_residency.non_hukou.resolved).toBeGreaterThanOrEqual(1)
  expect(month.by_category.find((c) => c.category_id === 1).resolved).toBeGreaterThanOrEqual(1)
  expect(p.querySelector('#category-1')).toBeTruthy()

  const year = await loadStable(p, 'year', async () => {
    await fire(p, '#period-year', 'tap')
    await waitFor(() => p.instance.data.period === 'year', 'the year tapped')
  })
  expect(p.instance.data.period).toBe('year')
  expectFigures(p, year)
  expect(year.collected).toBeGreaterThanOrEqual(month.collected)
  expect(wxState().toasts).toEqual([])
})

test('elder mode shows the same figures, the non-hukou card included', async () => {
  asCadre()
  prefs.setElder(true)
  const p = render(routes.stats)
  const month = await loadStable(p, 'month', () => p.instance.onLoad())
  expect(elderClass(p)).toBe(true)
  expectFigures(p, month)
  // nothing the page shows is marked secondary (hidden in elder mode)
  expect(p.dom.querySelectorAll('.main--secondary').length).toBe(0)
  prefs.setElder(false)
})

test('no network: a readable message, and retry loads the figures', async () => {
  asCadre()
  const good = wx.getStorageSync('zl_base_url')
  wx.setStorageSync('zl_base_url', await closedURL())
  const p = render(routes.stats)
  await p.instance.onLoad()
  expect(p.instance.data).toMatchObject({ state: 'error', message: NETWORK })
  expect(p.dom.textContent).toContain(NETWORK)
  expect(p.querySelector('#rate')).toBeFalsy()

  wx.setStorageSync('zl_base_url', good)
  const month = await loadStable(p, 'month', () => p.instance.load())
  expectFigures(p, month)
})

test('a revoked staff token (401) sends the cadre to the staff login with a readable message', async () => {
  // an own sign-in of another cadre, to revoke (the shared one must stay valid)
  const staff = await staffToken('guicheng_cadre', 'Demo2026zl')
  session.save(staff, 'staff')
  session.setAccount(staff.account)
  must(await call('POST', '/auth/logout', {}, staff.token), 'logout')
  const p = render(routes.stats)
  await p.instance.onLoad()
  expect(p.instance.data).toMatchObject({ state: 'error', message: '登录已失效，请重新登录' })
  expect(p.dom.textContent).toContain('登录已失效，请重新登录')
  expect(wxState().nav).toEqual([{ type: 'reLaunch', url: routes.staffLogin }])
  expect(session.token()).toBe('')
})
