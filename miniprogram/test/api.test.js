// The API client against the real server: envelope, readable errors,
// network failure, 401 handling for residents and staff, Idempotency-Key.
const { call, staffToken, closedURL, wxState } = require('./helpers/mp')
const api = require('../utils/api')
const session = require('../utils/session')
const routes = require('../utils/routes')

test('unwraps the envelope of a real response', async () => {
  const data = await api.get('/orgs', { tree: 1 })
  expect(data.items[0].name).toBe('佛山市')
})

test("shows the server's own message and does not redirect on a failed sign-in", async () => {
  await expect(api.staffLogin('zumiao_cadre', 'wrong-password')).rejects.toMatchObject({ code: 'unauthorized', status: 401, msg: '用户名或密码错误' })
  expect(wxState().nav).toEqual([])
  expect(session.token()).toBe('')
})

test('a server that cannot be reached gives a readable network message', async () => {
  wx.setStorageSync('zl_base_url', await closedURL())
  await expect(api.get('/orgs')).rejects.toMatchObject({ code: 'network', status: 0, msg: '网络连接失败，请检查网络后重试' })
})

test('bodies without an envelope map to readable messages by status', () => {
  expect(api.unwrap(502, '<html>bad gateway</html>').error).toMatchObject({ code: 'http_502', msg: '服务暂时不可用，请稍后重试' })
  expect(api.unwrap(429, '').error.msg).toBe('操作过于频繁，请稍后再试')
  expect(api.unwrap(500, { code: 'internal', msg: '服务器内部错误，请稍后重试', request_id: 'r1' }).error).toMatchObject({ code: 'internal', requestId: 'r1' })
  expect(api.unwrap(200, { data: 1 }).error.code).toBe('bad_response')
  expect(api.messageOf(new Error('x'))).toBe('操作失败，请稍后重试')
})

test('a resident whose token was revoked is signed in again and the call retried', async () => {
  wxState().loginCode = 'mp-api-relogin'
  const first = await api.residentLogin()
  expect(wxState().logins).toBe(1)
  const revoked = await call('POST', '/auth/logout', {}, first.token)
  expect(revoked.status).toBe(200)

  const me = await api.get('/auth/me')
  expect(me.kind).toBe('resident')
  expect(me.resident.id).toBe(first.resident.id)
  expect(wxState().logins).toBe(2)
  expect(session.token()).not.toBe(first.token)
  expect(wxState().nav).toEqual([])
})

test('staff whose token was revoked see a readable message and go to the staff login', async () => {
  const login = await api.staffLogin('zumiao_cadre', 'Demo2026zl')
  expect(session.mode()).toBe('staff')
  await call('POST', '/auth/logout', {}, login.token)

  await expect(api.get('/auth/me')).rejects.toMatchObject({ status: 401, msg: '登录已失效，请重新登录' })
  expect(session.token()).toBe('')
  expect(session.account()).toBe(null)
  expect(wxState().nav).toEqual([{ type: 'reLaunch', url: routes.staffLogin }])
})

test('POSTs carry the Idempotency-Key they are given, GETs carry the token', async () => {
  await api.staffLogin('zumiao_cadre', 'Demo2026zl')
  await api.post('/auth/logout', {}, { idempotencyKey: 'key-123' })
  const logout = wxState().requests.find((r) => r.url.endsWith('/api/v1/auth/logout'))
  expect(logout.header['Idempotency-Key']).toBe('key-123')
  expect(logout.header.Authorization).toMatch(/^Bearer /)
  expect(api.newIdempotencyKey()).not.toBe(api.newIdempotencyKey())
})

test('an account that must change its password is sent to the password page', async () => {
  const admin = await staffToken('admin', 'Zl-Boot-2026x')
  const username = `mp_api_${Date.now().toString(36)}`
  const created = await call('POST', '/admin/accounts', { username, password: 'Init12345x', name: '测试干部', role: 'cadre', org_id: admin.account.org_id }, admin.token)
  expect(created.status).toBe(201)
  await api.staffLogin(username, 'Init12345x')

  await expect(api.get('/admin/accounts')).rejects.toMatchObject({ code: 'password_change_required', status: 403, msg: '请先修改初始密码' })
  expect(wxState().nav).toEqual([{ type: 'navigateTo', url: routes.password }])
})
