// Error paths of the resident pages, today's session page and the cadre
// pages (inbox, item, invitations) against the real server: no network, a
// revoked token (401), another resident's item, a WeChat bind refused (409).
// The stale-action 409s are in actions.test.js and cadre.test.js.
const { render, fire, tap, call, staffToken, asCadre, closedURL, wxState } = require('./helpers/mp')
const { resident, must } = require('./helpers/city')
const session = require('../utils/session')
const routes = require('../utils/routes')

const NETWORK = '网络连接失败，请检查网络后重试'
const residentPages = [routes.profile, routes.submit, routes.requests, routes.request, routes.points, routes.bookings]
let owner

beforeAll(async () => {
  owner = await resident(`mp-err-${Date.now().toString(36)}`, { name: '孙女士' })
})

/** Signs the resident in locally (token and cached profile), as after launch. */
function asResident(r) {
  session.save({ token: r.token }, 'resident')
  session.setResident(r.resident)
}

async function load(route, query) {
  const p = render(route)
  await p.instance.onLoad(query || {})
  return p
}

test.each(residentPages)('%s shows a readable message when the network is down, and retry loads it', async (route) => {
  asResident(owner)
  const good = wx.getStorageSync('zl_base_url')
  wx.setStorageSync('zl_base_url', await closedURL())
  const query = route === routes.request ? { id: '1' } : {}
  const p = await load(route, query)
  expect(p.instance.data.state).toBe('error')
  expect(p.instance.data.message).toBe(NETWORK)
  expect(p.dom.textContent).toContain(NETWORK)

  wx.setStorageSync('zl_base_url', good)
  await p.instance.load()
  // the request page asks for request 1, which is not this resident's
  if (route === routes.request) expect(p.instance.data.message).toMatch(/不存在/)
  else expect(p.instance.data.state).not.toBe('error')
})

test('home says once what went wrong when the network is down, with 重试 and pull-down refresh that load it again', async () => {
  asResident(owner)
  const good = wx.getStorageSync('zl_base_url')
  wx.setStorageSync('zl_base_url', await closedURL())
  const home = await load(routes.home)
  expect(home.instance.data.open).toMatchObject({ state: 'error', message: NETWORK })
  expect(home.instance.data.booking).toMatchObject({ state: 'error', message: NETWORK })
  expect(home.instance.data.point).toMatchObject({ state: 'error', message: NETWORK })
  expect(home.dom.textContent.split(NETWORK).length - 1).toBe(1)
  expect(home.querySelector('#retry')).toBeTruthy()
  expect(require('../pages/home/home.json').enablePullDownRefresh).toBe(true)
  wx.setStorageSync('zl_base_url', good)
  await tap(home, '#retry')
  expect(home.instance.data.failed).toBe('')
  expect(home.querySelector('#home-error')).toBeFalsy()
  expect(home.instance.data.open.state).not.toBe('error')
  // pull-down refresh goes through the same load
  wx.setStorageSync('zl_base_url', await closedURL())
  await home.instance.onPullDownRefresh()
  expect(home.instance.data.failed).toBe(NETWORK)
})

test.each([routes.home, routes.requests, routes.bookings])('%s: a revoked token (401) is replaced by signing in again, without a message', async (route) => {
  const r = await resident(`mp-err-401-${route.length}-${Date.now().toString(36)}`, { name: '周先生' })
  must(await call('POST', '/auth/logout', {}, r.token), 'logout')
  asResident(r)
  wxState().loginCode = `mp-err-401-${route.length}-${Date.now().toString(36)}-again`
  const p = await load(route)
  expect(p.dom.textContent).not.toMatch(/登录|失败/)
  expect(wxState().logins).toBe(1)
  expect(session.token()).not.toBe(r.token)
})

test('submitting with a revoked token signs in again and sends the request once, with its key', async () => {
  const code = `mp-err-401-submit-${Date.now().toString(36)}`
  const r = await resident(code, { name: '冯女士' })
  must(await call('POST', '/auth/logout', {}, r.token), 'logout')
  asResident(r)
  wxState().loginCode = code
  const submit = await load(routes.submit)
  await fire(submit, '#category', 'change', { value: 0 })
  await fire(submit, '#content', 'input', { value: '楼道里的灯不亮已经一周了' })
  await tap(submit, '#submit')
  expect(wxState().toasts).toEqual([])
  expect(wxState().logins).toBe(1)
  const posts = wxState().requests.filter((q) => q.method === 'POST' && q.url.endsWith('/api/v1/my/requests'))
  expect(posts.map((q) => q.header['Idempotency-Key'])).toEqual([submit.instance.data.key, submit.instance.data.key])
  expect(must(await call('GET', '/my/requests', undefined, session.token()), 'requests').items).toHaveLength(1)
  expect(wxState().nav[0].url).toMatch(/^\/pages\/request\/request\?id=\d+$/)
})

test.each([routes.requests, routes.bookings, routes.profile])('%s: a revoked token when WeChat cannot sign in again shows a readable message', async (route) => {
  const r = await resident(`mp-err-401f-${route.length}-${Date.now().toString(36)}`, { name: '吴女士' })
  must(await call('POST', '/auth/logout', {}, r.token), 'logout')
  asResident(r)
  wxState().loginFails = true
  const p = await load(route)
  if (route === routes.profile) {
    // the form (public org tree) is there; loading the saved profile failed
    expect(wxState().toasts).toEqual(['微信登录失败，请稍后重试'])
    return
  }
  expect(p.instance.data.state).toBe('error')
  expect(p.instance.data.message).toBe('微信登录失败，请稍后重试')
  expect(p.dom.textContent).toContain('微信登录失败，请稍后重试')
})

test("another resident's request is not shown, with a readable message", async () => {
  const mine = must(await call('POST', '/my/requests', { category_id: 1, content: '小区门口垃圾堆放多日无人清理', community_id: owner.resident.community_id }, owner.token), 'submit')
  const other = await resident(`mp-err-other-${Date.now().toString(36)}`, { name: '郑先生' })
  asResident(other)
  const p = await load(routes.request, { id: String(mine.id) })
  expect(p.instance.data.state).toBe('error')
  expect(p.instance.data.message).toMatch(/[\u4e00-\u9fa5]/)
  expect(p.dom.textContent).not.toContain('垃圾')
})

test("today's session page: no network, then a revoked staff token sends the cadre to the staff login with a readable message", async () => {
  const staff = await staffToken('zumiao_cadre', 'Demo2026zl')
  session.save(staff, 'staff')
  session.setAccount(staff.account)
  const good = wx.getStorageSync('zl_base_url')
  wx.setStorageSync('zl_base_url', await closedURL())
  const offline = await load(routes.session)
  expect(offline.instance.data).toMatchObject({ state: 'error', message: NETWORK })
  expect(offline.dom.textContent).toContain(NETWORK)

  wx.setStorageSync('zl_base_url', good)
  must(await call('POST', '/auth/logout', {}, staff.token), 'logout')
  const p = await load(routes.session)
  expect(p.instance.data).toMatchObject({ state: 'error', message: '登录已失效，请重新登录' })
  expect(p.dom.textContent).toContain('登录已失效，请重新登录')
  expect(wxState().nav).toEqual([{ type: 'reLaunch', url: routes.staffLogin }])
  expect(session.token()).toBe('')
})

describe('cadre pages', () => {
  const cadrePages = [routes.inbox, routes.item, routes.invitations]
  let itemId = 0

  beforeAll(async () => {
    itemId = must(await call('POST', '/my/requests', { category_id: 1, content: '公园健身器材松动存在安全隐患', community_id: owner.resident.community_id }, owner.token), 'submit').id
  })

  // the run's shared sign-in of the demo cadre, or an own one of another account (to revoke)
  async function asStaff(username) {
    if (!username) return asCadre()
    const staff = await staffToken(username, 'Demo2026zl')
    session.save(staff, 'staff')
    session.setAccount(staff.account)
    return staff
  }

  test.each(cadrePages)('%s shows a readable message when the network is down, and retry loads it', async (route) => {
    await asStaff()
    const good = wx.getStorageSync('zl_base_url')
    wx.setStorageSync('zl_base_url', await closedURL())
    const p = await load(route, { id: String(itemId) })
    expect(p.instance.data).toMatchObject({ state: 'error', message: NETWORK })
    expect(p.dom.textContent).toContain(NETWORK)
    wx.setStorageSync('zl_base_url', good)
    await p.instance.load()
    expect(p.instance.data.state).not.toBe('error')
  })

  test.each(cadrePages)('%s: a revoked staff token (401) sends the cadre to the staff login with a readable message', async (route) => {
    const staff = await asStaff('daliang_cadre')
    must(await call('POST', '/auth/logout', {}, staff.token), 'logout')
    const p = await load(route, { id: String(itemId) })
    expect(p.instance.data).toMatchObject({ state: 'error', message: '登录已失效，请重新登录' })
    expect(wxState().nav).toEqual([{ type: 'reLaunch', url: routes.staffLogin }])
    expect(session.token()).toBe('')
  })

  test('an action without network keeps the form and says so; the item is unchanged', async () => {
    await asStaff()
    const p = await load(routes.item, { id: String(itemId) })
    await fire(p, '#action-progress', 'tap')
    await fire(p, '#field-note', 'input', { value: '已安排人员查看' })
    wxState().netFailures.push({ match: `/work/requests/${itemId}/progress` })
    await tap(p, '#action-submit')
    expect(wxState().toasts.pop()).toBe(NETWORK)
    expect(p.instance.data.action).toBe('progress')
    expect(p.instance.data.form.note).toBe('已安排人员查看')
    expect(p.instance.data.busy).toBe(false)
  })

  test('binding a WeChat already bound to another account (409) or without WeChat sign-in shows readable messages', async () => {
    const code = `mp-err-bind-${Date.now().toString(36)}`
    const other = await staffToken('guicheng_cadre', 'Demo2026zl')
    must(await call('POST', '/auth/wechat/bind', { code }, other.token), 'bind the other account')
    await asStaff('daliang_cadre')
    const inbox = await load(routes.inbox)
    const refused = await call('POST', '/auth/wechat/bind', { code }, session.token())
    expect(refused.status).toBe(409)
    expect(refused.body.msg).toMatch(/[\u4e00-\u9fa5]/)
    wxState().loginCode = code
    await tap(inbox, '#bind-wechat')
    expect(wxState().toasts.pop()).toBe(refused.body.msg)
    expect(inbox.querySelector('#bind-wechat')).toBeTruthy()
    wxState().loginFails = true
    await tap(inbox, '#bind-wechat')
    expect(wxState().toasts.pop()).toBe('微信登录失败，请稍后重试')
    expect(session.account().wechat_bound).toBe(false)
  })
})
