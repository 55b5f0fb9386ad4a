// Staff journeys through the real pages against the real server.
const { render, waitFor, fire, tap, text, call, staffToken, orgId, wxState, templates } = require('./helpers/mp')
const session = require('../utils/session')
const routes = require('../utils/routes')

async function typeAndLogin(page, username, password) {
  await fire(page, '#username', 'input', { value: username })
  await fire(page, '#password', 'input', { value: password })
  return tap(page, '#login')
}

test('the demo cadre signs in and lands in the inbox', async () => {
  const login = render(routes.staffLogin)
  await login.instance.onLoad()
  await typeAndLogin(login, 'zumiao_cadre', 'Demo2026zl')
  expect(wxState().nav).toEqual([{ type: 'reLaunch', url: routes.inbox }])
  // the tap that opens the inbox asks for the staff notifications first
  expect(wxState().subscribe).toEqual([await templates('staff_inbox')])
  expect(wxState().requests.map((r) => r.url.replace(/^.*\/api\/v1/, ''))).toEqual(['/config', '/auth/staff'])
  expect(session.mode()).toBe('staff')
  expect(session.account()).toMatchObject({ username: 'zumiao_cadre', name: '陈志明', role: 'cadre', must_change_password: false })
})

test('a wrong password or an empty form shows a readable message', async () => {
  const login = render(routes.staffLogin)
  await tap(login, '#login')
  expect(text(login, '#message')).toBe('请输入用户名和密码')
  await typeAndLogin(login, 'zumiao_cadre', 'not-the-password')
  expect(text(login, '#message')).toBe('用户名或密码错误')
  expect(wxState().nav).toEqual([])
  expect(session.token()).toBe('')
})

test('a freshly created account must change its password before working', async () => {
  const admin = await staffToken('admin', 'Zl-Boot-2026x')
  const username = `mp_new_${Date.now().toString(36)}`
  const created = await call('POST', '/admin/accounts', { username, password: 'Init12345x', name: '新干部', role: 'cadre', org_id: await orgId('祖庙街道') }, admin.token)
  expect(created.status).toBe(201)

  const login = render(routes.staffLogin)
  await typeAndLogin(login, username, 'Init12345x')
  expect(wxState().nav).toEqual([{ type: 'redirectTo', url: `${routes.password}?forced=1` }])

  const pw = render(routes.password)
  pw.instance.onLoad({ forced: '1' })
  expect(text(pw, '#forced')).toContain('请先设置新密码')
  await fire(pw, '#old', 'input', { value: 'Init12345x' })
  await fire(pw, '#new', 'input', { value: 'Better2026zl' })
  await fire(pw, '#confirm', 'input', { value: 'Better2026zX' })
  await pw.instance.submit()
  expect(text(pw, '#message')).toBe('两次输入的新密码不一致')
  await fire(pw, '#confirm', 'input', { value: 'Better2026zl' })
  await fire(pw, '#old', 'input', { value: 'Wrong12345x' })
  await pw.instance.submit()
  expect(text(pw, '#message')).not.toBe('') // the server refuses a wrong old password
  await fire(pw, '#old', 'input', { value: 'Init12345x' })
  await pw.instance.submit()

  expect(wxState().nav[1]).toEqual({ type: 'reLaunch', url: routes.inbox })
  expect(session.account()).toMatchObject({ username, must_change_password: false })
  const me = await call('GET', '/auth/me', undefined, session.token())
  expect(me.status).toBe(200)
  expect((await call('POST', '/auth/staff', { username, password: 'Better2026zl' })).status).toBe(200)
})

test('cadre pages send a signed-out user to the staff login', async () => {
  const inbox = render(routes.inbox)
  await inbox.instance.onLoad()
  expect(wxState().nav).toEqual([{ type: 'reLaunch', url: routes.staffLogin }])
})

test('signing out revokes the token on the server', async () => {
  const login = render(routes.staffLogin)
  await typeAndLogin(login, 'zumiao_cadre', 'Demo2026zl')
  const token = session.token()
  const inbox = render(routes.inbox)
  await inbox.instance.logout()
  expect(session.token()).toBe('')
  expect(wxState().nav[wxState().nav.length - 1]).toEqual({ type: 'reLaunch', url: routes.staffLogin })
  expect((await call('GET', '/auth/me', undefined, token)).status).toBe(401)
})
