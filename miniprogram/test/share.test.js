// Sharing a request: the resident's request page offers 「分享给邻居」 when the
// server says it may be shared; the share card opens pages/shared/shared
// with a random token (never the request page, never the sequential id), and
// whoever opens it sees only the public view — category, community, status,
// a masked excerpt, the steps — never the name, phone, address or photo. A
// withdrawn request is no longer shown, and nobody shares another's request.
const { render, call, cadre, wxState } = require('./helpers/mp')
const { resident, photoFile, must } = require('./helpers/city')
const api = require('../utils/api')
const requests = require('../services/requests')
const session = require('../utils/session')
const routes = require('../utils/routes')

const STAMP = Date.now().toString(36)

test('the owner shares; a neighbour sees only the public view, as it progresses', async () => {
  const owner = await resident(`mp-share-${STAMP}`, { name: '孙秀英' })
  session.save({ token: owner.token }, 'resident')
  session.setResident(owner.resident)
  const up = await api.upload(photoFile())
  const content = `我是孙秀英，家住幸福里8栋302，电话13912345678。小区东门的路灯坏了两个星期，晚上很黑（${STAMP}）`
  const item = must(await call('POST', '/my/requests', { category_id: 1, content, community_id: owner.resident.community_id, address: '幸福里8栋302', image_ids: [up.id] }, owner.token), 'submit')

  const page = render(routes.request)
  await page.instance.onLoad({ id: String(item.id) })
  expect(page.instance.data.state).toBe('ready')
  const button = page.querySelector('#share')
  expect(button).toBeTruthy()
  expect(button.dom.getAttribute('open-type') || page.instance.data.canShare).toBeTruthy()

  const card = page.instance.onShareAppMessage()
  expect(card.path).toBe(routes.home) // the fallback WeChat uses if the link is not ready: never this page
  const shared = await card.promise
  expect(shared.path).toMatch(/^\/pages\/shared\/shared\?token=[A-Za-z0-9_-]{22}$/)
  expect(shared.path).not.toContain(String(item.id))
  expect(shared.title).not.toContain('孙')
  // the second share uses the same link at once
  expect(page.instance.onShareAppMessage()).toEqual({ title: shared.title, path: shared.path })
  const token = shared.path.split('token=')[1]

  // The cadre takes it in; a neighbour opens the card.
  const c = cadre()
  must(await call('POST', `/work/requests/${item.id}/accept`, { note: '已联系孙秀英，明天派人' }, c.token), 'accept')
  const neighbour = await resident(`mp-share-nb-${STAMP}`, { name: '周先生' })
  session.save({ token: neighbour.token }, 'resident')
  session.setResident(neighbour.resident)
  const view = render(routes.shared)
  await view.instance.onLoad({ token })
  expect(view.instance.data.state).toBe('ready')
  const pub = must(await call('GET', `/public/requests/${token}`), 'public view')
  expect(view.querySelector('#category').dom.textContent).toBe(pub.category_name)
  expect(view.querySelector('#community').dom.textContent).toBe('兆祥社区')
  expect(view.querySelector('#excerpt').dom.textContent).toBe(pub.excerpt)
  expect(pub.status).toBe('accepted')
  const text = view.dom.textContent
  expect(text).toContain('办理中')
  expect(text).toContain('路灯')
  for (const secret of ['孙秀英', '13912345678', '139', '幸福里8栋', '302', '已联系', STAMP]) expect(text).not.toContain(secret)
  expect(view.dom.innerHTML).not.toContain('/api/v1/images/')
  expect(view.querySelectorAll('image').length).toBe(0)
  // steps, not notes
  expect(pub.steps.map((s) => s.to_status)).toEqual(['submitted', 'accepted'])
  expect(Object.keys(pub).sort()).toEqual(['age_days', 'category_id', 'category_name', 'community_id', 'community_name', 'created_at', 'excerpt', 'followers', 'number', 'status', 'status_label', 'steps'])

  // The neighbour can raise their own matter from there.
  await view.instance.goHome()
  expect(wxState().nav.pop()).toEqual({ type: 'reLaunch', url: routes.launch })

  // Nobody shares another's request.
  await expect(requests.share(item.id)).rejects.toMatchObject({ status: 404 })
})

test('a withdrawn request is no longer shown, and cannot be shared; an unknown link says so', async () => {
  const owner = await resident(`mp-share-w-${STAMP}`, { name: '钱先生' })
  session.save({ token: owner.token }, 'resident')
  session.setResident(owner.resident)
  const item = must(await call('POST', '/my/requests', { category_id: 1, content: `楼道的灯不亮了，上下楼看不见（${STAMP}）`, community_id: owner.resident.community_id }, owner.token), 'submit')
  const page = render(routes.request)
  await page.instance.onLoad({ id: String(item.id) })
  const token = (await page.instance.onShareAppMessage().promise).path.split('token=')[1]
  must(await call('POST', `/my/requests/${item.id}/withdraw`, {}, owner.token), 'withdraw')

  await page.instance.load()
  expect(page.instance.data.canShare).toBe(false)
  expect(page.querySelector('#share')).toBeFalsy()
  expect(page.instance.onShareAppMessage()).toEqual({ title: '直联 · 有事直接找', path: routes.home })

  const view = render(routes.shared)
  await view.instance.onLoad({ token })
  expect(view.instance.data.state).toBe('empty')
  expect(view.dom.textContent).toContain('这条诉求已撤回或不再公开')
  expect(view.querySelector('#go-home')).toBeTruthy()

  const unknown = render(routes.shared)
  await unknown.instance.onLoad({ token: 'AAAAAAAAAAAAAAAAAAAAAA' })
  expect(unknown.instance.data.state).toBe('empty')
  await unknown.instance.onLoad({ token: '../../my/requests' })
  expect(unknown.instance.data.state).toBe('empty')
  await unknown.instance.onLoad({})
  expect(unknown.instance.data.message).toBe('分享的链接不完整')
})
