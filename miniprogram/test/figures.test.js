// 阳光公开: a resident opens the public figures from home; the page shows the
// town's and the city's headline, equal to what the town's staff see in
// /admin/stats for the same period, and nothing about a single item.
const { render, fire, call, wxState } = require('./helpers/mp')
const { resident, adminToken, must } = require('./helpers/city')
const format = require('../utils/format')
const session = require('../utils/session')
const routes = require('../utils/routes')

const STAMP = Date.now().toString(36)

test('home leads to the public figures; the town equals /admin/stats for the same period', async () => {
  const r = await resident(`mp-fig-${STAMP}`, { name: '钱先生' })
  must(await call('POST', '/my/requests', { category_id: 1, content: `公园的路灯晚上不亮，散步很危险（${STAMP}）`, community_id: r.resident.community_id }, r.token), 'submit')
  session.save({ token: r.token }, 'resident')
  session.setResident(r.resident)

  const home = render(routes.home)
  await home.instance.onLoad()
  await fire(home, '#go-figures', 'tap')
  expect(wxState().nav).toEqual([{ type: 'navigateTo', url: routes.figures }])

  const page = render(routes.figures)
  await page.instance.onLoad({})
  expect(page.instance.data.state).toBe('ready')
  const townId = page.instance.data.townId
  const year = new Date(Date.now() + 8 * 3600 * 1000).getUTCFullYear()
  const period = `from=${year}-01-01&to=${year + 1}-01-01`
  const staff = must(await call('GET', `/admin/stats?org_id=${townId}&${period}`, undefined, await adminToken()), 'admin stats')
  expect(staff.org.name).toBe('祖庙街道')
  expect(staff.collected).toBeGreaterThan(0)

  const town = page.querySelector('#town').dom.textContent
  expect(town).toContain('祖庙街道')
  expect(page.querySelector('#town-collected').dom.textContent).toBe(String(staff.collected))
  expect(page.querySelector('#town-rate').dom.textContent).toBe(staff.rate_pct)
  expect(page.querySelector('#town-nonhukou').dom.textContent).toBe(format.percent(staff.by_residency.non_hukou.share))
  expect(page.querySelector('#town-days').dom.textContent).toBe(staff.closed ? String(Math.round(staff.close_days.median * 10) / 10) : '—')

  // the public answer behind it: aggregates only, for anybody
  const pub = must(await call('GET', `/public/figures?org_id=${townId}&${period}`), 'public figures')
  expect(pub.town).toEqual({ org: staff.org, collected: staff.collected, closed: staff.closed, rate: staff.rate, rate_pct: staff.rate_pct, close_median_days: staff.close_days.median, non_hukou_share: staff.by_residency.non_hukou.share })
  expect(page.querySelector('#city').dom.textContent).toContain(pub.city.org.name)
  expect(pub.city.collected).toBeGreaterThanOrEqual(pub.town.collected)
  expect(JSON.stringify(pub)).not.toContain(STAMP)
})

test('without a community the page says what to do', async () => {
  const login = must(await call('POST', '/auth/wechat', { code: `mp-fig-new-${STAMP}` }), 'login')
  session.save({ token: login.token }, 'resident')
  session.setResident(login.resident)
  const page = render(routes.figures)
  await page.instance.onLoad({})
  expect(page.instance.data.state).toBe('empty')
  expect(page.instance.data.message).toBe('请先在个人资料中选择所在社区')
  const next = page.querySelector('#state').querySelector('#empty-action')
  expect(next.dom.textContent.trim()).toBe('去填写资料')
  next.dispatchEvent('tap', {})
  await new Promise((r) => setTimeout(r, 0))
  expect(wxState().nav.pop()).toEqual({ type: 'navigateTo', url: routes.profile })
})
