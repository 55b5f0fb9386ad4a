// Empty states offer the next step: a resident with no requests is led to
// submit one; a cadre whose inbox is empty is led to drop the filters or to
// the invitations; empty invitation lists lead to the other side or back to
// the inbox; a cadre without a session today goes back to the inbox.
const { render, tap, settled, call, orgId, staffToken, wxState } = require('./helpers/mp')
const { must, adminToken } = require('./helpers/city')
const session = require('../utils/session')
const routes = require('../utils/routes')

const STAMP = Date.now().toString(36)

/** The state view's text and its next-step button. */
function empty(page) {
  const view = page.querySelector('#state')
  const btn = view && view.querySelector('#empty-action')
  return { text: page.dom.textContent, action: btn ? btn.dom.textContent.trim() : '' }
}

/** Taps the empty state's next step and waits for what it started. */
async function next(page) {
  page.querySelector('#state').querySelector('#empty-action').dispatchEvent('tap', {})
  await new Promise((r) => setTimeout(r, 0))
  await settled()
}

/** A cadre of a new community of 祖庙街道: nothing is handled there, so their lists are empty. */
async function newCadre() {
  const admin = await adminToken()
  const org = must(await call('POST', '/admin/orgs', { name: `空白社区${STAMP}`, kind: 'community', parent_id: await orgId('祖庙街道') }, admin), 'org')
  const username = `mp_empty_${STAMP}`
  must(await call('POST', '/admin/accounts', { username, password: 'Init12345x', name: '空白干部', role: 'cadre', org_id: org.id }, admin), 'account')
  const first = await staffToken(username, 'Init12345x')
  must(await call('POST', '/auth/password', { old_password: 'Init12345x', new_password: 'Empty2026zl' }, first.token), 'password')
  const login = await staffToken(username, 'Empty2026zl')
  session.save(login, 'staff')
  session.setAccount(login.account)
  return login
}

test('no requests yet: 「还没有诉求」 and 「去提交」 opens the submit page', async () => {
  const login = must(await call('POST', '/auth/wechat', { code: `mp-empty-${STAMP}` }), 'login')
  session.save({ token: login.token }, 'resident')
  session.setResident(login.resident)
  const page = render(routes.requests)
  await page.instance.onLoad()
  expect(page.instance.data.state).toBe('empty')
  const e = empty(page)
  expect(e.text).toContain('还没有诉求')
  expect(e.action).toBe('去提交')
  await next(page)
  expect(wxState().nav).toEqual([{ type: 'navigateTo', url: routes.submit }])
})

test('an empty inbox leads to all items, then to the invitations; empty invitations lead on; no session today leads back', async () => {
  await newCadre()
  const inbox = render(routes.inbox)
  await inbox.instance.onLoad()
  await tap(inbox, '#filter-mine')
  expect(inbox.instance.data.state).toBe('empty')
  expect(empty(inbox).text).toContain('没有符合条件的诉求')
  expect(empty(inbox).action).toBe('查看全部诉求')
  await next(inbox)
  expect(inbox.instance.data.filter).toBe('all')
  expect(inbox.instance.data.state).toBe('empty')
  expect(empty(inbox).text).toContain('待办已清空')
  expect(empty(inbox).action).toBe('查看约请')
  await next(inbox)
  expect(wxState().nav.pop()).toEqual({ type: 'navigateTo', url: routes.invitations })

  const inv = render(routes.invitations)
  await inv.instance.onLoad()
  expect(inv.instance.data.side).toBe('outgoing') // a community's cadre invites, departments are invited
  expect(inv.instance.data.state).toBe('empty')
  expect(empty(inv).text).toContain('暂无发出的约请')
  expect(empty(inv).action).toBe('回到待办')
  await tap(inv, '#side-incoming')
  expect(inv.instance.data.state).toBe('empty')
  expect(empty(inv).text).toContain('暂无发给本部门的约请')
  expect(empty(inv).action).toBe('查看发出的约请')
  await next(inv)
  expect(inv.instance.data.side).toBe('outgoing')
  await next(inv)
  expect(wxState().nav.pop()).toEqual({ type: 'reLaunch', url: routes.inbox })

  const desk = render(routes.session)
  await desk.instance.onLoad()
  expect(desk.instance.data.state).toBe('empty')
  expect(empty(desk).action).toBe('回到待办')
  await next(desk)
  expect(wxState().nav.pop()).toEqual({ type: 'reLaunch', url: routes.inbox })
})
