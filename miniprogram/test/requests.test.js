// A non-hukou resident's journey through the real pages against the real
// server: sign in, fill and save the profile, see it at home, submit a request
// with a photo over a bad network without duplicating it, follow it in the
// list and the detail with its public timeline, and withdraw it.
const { render, waitFor, fire, tap, text, call, orgId, wxState, templates } = require('./helpers/mp')
const { photoFile, must } = require('./helpers/city')
const api = require('../utils/api')
const session = require('../utils/session')
const routes = require('../utils/routes')

const CODE = `mp-req-${Date.now().toString(36)}`
const CONTENT = '兆祥路12号门口的路灯坏了一个多月，晚上很黑'
let requestId = 0

/** Signs the journey's resident in again (storage is reset before every test). */
async function signIn() {
  wxState().loginCode = CODE
  await api.residentLogin()
}


test('a non-hukou resident signs in, fills the profile with both phone paths, saves it, and home shows it', async () => {
  wxState().loginCode = CODE
  const launch = render(routes.launch)
  await launch.instance.onLoad()
  expect(wxState().nav).toEqual([{ type: 'reLaunch', url: `${routes.profile}?first=1` }])

  const profile = render(routes.profile)
  await profile.instance.onLoad({ first: '1' })
  await fire(profile, '#town-picker', 'change', { value: profile.instance.data.townNames.indexOf('禅城区 祖庙街道') })
  await fire(profile, '#community-picker', 'change', { value: profile.instance.data.communityNames.indexOf('兆祥社区') })
  await fire(profile, '#residency', 'change', { value: 'non_hukou' })
  await fire(profile, '#name', 'input', { value: '李小梅' })

  // WeChat's phone button: the server exchanges the code (fake WeChat: phone_<number>)
  await fire(profile, '#phone-button', 'getphonenumber', { code: 'phone_13800138000', errMsg: 'getPhoneNumber:ok' })
  await waitFor(() => profile.instance.data.phone, 'the phone from WeChat')
  expect(profile.instance.data.phone).toBe('138****8000')
  expect(must(await call('GET', '/my/profile', undefined, session.token()), 'profile').phone_full).toBe('13800138000')

  // then she types another number instead, and saves
  await fire(profile, '#phone', 'input', { value: '13912345678' })
  await fire(profile, '#save', 'tap')
  await waitFor(() => wxState().nav.length > 1, 'navigation after saving')
  expect(wxState().toasts).toContain('已保存')
  expect(wxState().nav[1]).toEqual({ type: 'reLaunch', url: routes.home })

  const saved = must(await call('GET', '/my/profile', undefined, session.token()), 'profile')
  expect(saved).toMatchObject({
    name: '李小梅',
    residency: 'non_hukou',
    community_id: await orgId('兆祥社区'),
    phone: '139****5678',
    phone_full: '13912345678',
    profile_complete: true,
  })

  const home = render(routes.home)
  await home.instance.onLoad()
  expect(text(home, '#hello')).toBe('您好，李小梅非户籍常住居民')
  expect(home.querySelector('#complete-profile')).toBeFalsy()
  expect(home.instance.data.open.state).toBe('empty')
  expect(home.instance.data.booking.state).toBe('empty')
})

test('submits a request with a photo; a retry after a network failure does not duplicate it', async () => {
  await signIn()
  const photo = photoFile()
  wxState().chooseMedia = { type: 'image', tempFiles: [{ tempFilePath: photo, size: 623, fileType: 'image' }] }

  const submit = render(routes.submit)
  await submit.instance.onLoad()
  const categories = must(await call('GET', '/categories'), 'categories').items
  expect(submit.instance.data.categoryNames).toEqual(categories.map((c) => c.name))
  const category = categories.find((c) => c.name === '道路设施')
  await fire(submit, '#category', 'change', { value: categories.indexOf(category) })

  await fire(submit, '#content', 'input', { value: '路灯坏' })
  expect(text(submit, '#counter')).toBe('3/2000')
  expect(submit.querySelector('#counter').dom.className).toMatch(/error/)
  await submit.instance.submit()
  expect(wxState().toasts).toEqual(['请至少写5个字，说清楚情况'])
  await fire(submit, '#content', 'input', { value: CONTENT })
  expect(text(submit, '#counter')).toBe(`${CONTENT.length}/2000`)

  await fire(submit, '#add-photo', 'tap')
  await waitFor(() => submit.instance.data.photos.length && submit.instance.data.photos[0].state === 'done', 'the photo upload')
  const photoId = submit.instance.data.photos[0].id
  expect(photoId).toBeGreaterThan(0)
  const up = wxState().requests.find((r) => r.url.endsWith('/api/v1/uploads'))
  expect(up.data.file).toBe(photo)

  // no connection at all: nothing reaches the server
  wxState().netFailures.push({ match: '/api/v1/my/requests' })
  await tap(submit, '#submit')
  expect(wxState().toasts.pop()).toBe('网络连接失败，请检查网络后重试')
  // the request reaches the server but its answer is lost
  wxState().netFailures.push({ match: '/api/v1/my/requests', lost: true })
  await tap(submit, '#submit')
  expect(wxState().toasts.pop()).toBe('网络超时，请稍后重试')
  expect(wxState().nav).toEqual([])
  const mine = must(await call('GET', '/my/requests', undefined, session.token()), 'my requests').items
  expect(mine).toHaveLength(1)

  // the resident closes the page and comes back: the draft and its key are kept
  const again = render(routes.submit)
  await again.instance.onLoad()
  expect(again.instance.data).toMatchObject({ key: submit.instance.data.key, content: CONTENT, categoryIndex: categories.indexOf(category) })
  expect(again.instance.data.photos).toEqual([{ path: photo, id: photoId, state: 'done' }])
  await fire(again, '#submit', 'tap')
  await waitFor(() => wxState().nav.length, 'navigation after submitting')

  const posts = wxState().requests.filter((r) => r.method === 'POST' && r.url.endsWith('/api/v1/my/requests'))
  expect(posts).toHaveLength(3)
  expect(new Set(posts.map((r) => r.header['Idempotency-Key'])).size).toBe(1)
  const after = must(await call('GET', '/my/requests', undefined, session.token()), 'my requests').items
  expect(after).toHaveLength(1)
  requestId = after[0].id
  expect(wxState().nav).toEqual([{ type: 'redirectTo', url: `${routes.request}?id=${requestId}` }])
  // each of the three taps asked first (a one-time subscription covers one message)
  const tpl = await templates('request')
  expect(wxState().subscribe).toEqual([tpl, tpl, tpl])
  expect(wx.getStorageSync('zl_request_draft')).toBe('') // the draft is gone

  const detail = must(await call('GET', `/my/requests/${requestId}`, undefined, session.token()), 'request')
  expect(detail).toMatchObject({ status: 'submitted', content: CONTENT, category_id: category.id, image_ids: [photoId] })
})

test('my requests lists it with its status; the detail shows the public timeline; withdraw, then a stale second withdraw is refused readably', async () => {
  expect(requestId).toBeGreaterThan(0)
  await signIn()
  const list = render(routes.requests)
  await list.instance.onLoad()
  const row = text(list, `#request-${requestId}`)
  expect(row).toContain(CONTENT)
  expect(row).toContain('待受理')
  expect(row).toContain('道路设施')
  expect(row).toMatch(/ZL\d{8}-\d+/)
  await fire(list, `#request-${requestId}`, 'tap')
  expect(wxState().nav).toEqual([{ type: 'navigateTo', url: `${routes.request}?id=${requestId}` }])

  const detail = render(routes.request)
  await detail.instance.onLoad({ id: String(requestId) })
  const stale = render(routes.request) // the same request open on a second screen
  await stale.instance.onLoad({ id: String(requestId) })
  expect(text(detail, '#content')).toBe(CONTENT)
  expect(text(detail, '#timeline')).toContain('提交诉求')
  expect(text(detail, '#timeline')).toContain('→ 待受理')
  expect(detail.querySelector('#rating')).toBeFalsy()

  await fire(detail, '#withdraw', 'tap')
  await waitFor(() => detail.instance.data.req.status === 'withdrawn', 'the withdrawn request')
  expect(wxState().modals[0].title).toBe('撤回诉求')
  expect(wxState().toasts).toContain('已撤回')
  expect(text(detail, '#timeline')).toContain('撤回')
  expect(text(detail, '#timeline')).toContain('→ 已撤回')
  expect(detail.querySelector('#withdraw')).toBeFalsy()

  await fire(stale, '#withdraw', 'tap')
  const refused = await call('POST', `/my/requests/${requestId}/withdraw`, {}, session.token())
  expect(refused.status).toBe(409)
  await waitFor(() => wxState().toasts.length > 1, 'the refusal')
  expect(wxState().toasts.pop()).toBe(refused.body.msg)
  expect(refused.body.msg).toMatch(/^当前状态（.+）不能执行/)

  await list.instance.onLoad()
  expect(text(list, `#request-${requestId}`)).toContain('已撤回')
})
