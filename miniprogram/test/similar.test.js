// Look-alike items, 「我也遇到」, merging duplicates and 本周热点 through the
// real pages against the real server. Everything happens in 桂城街道's 夏东社区,
// which no other journey files items in (so what is similar is known, and the
// journeys comparing 祖庙街道's inbox with the server are not disturbed),
// with the demo cadre and admin of 桂城街道.
const { render, waitFor, fire, text, call, orgId, staffToken, wxState, templates } = require('./helpers/mp')
const { resident, createPoint, sessionToday, beijingNow, unique, must } = require('./helpers/city')
const session = require('../utils/session')
const routes = require('../utils/routes')

const STAMP = Date.now().toString(36)
let community = 0
let roads = 0
let cadre = null // {token, account} of guicheng_cadre
let admin = ''

beforeAll(async () => {
  community = await orgId('夏东社区')
  cadre = await staffToken('guicheng_cadre', 'Demo2026zl')
  admin = (await staffToken('guicheng_admin', 'Demo2026zl')).token
  roads = must(await call('GET', '/categories'), 'categories').items.find((c) => c.code === 'roads').id
})


/** Signs the cadre of 桂城街道 in locally, as after the login page. */
function asCadre() {
  session.save(cadre, 'staff')
  session.setAccount(cadre.account)
}

/** A resident of 夏东社区 files an item directly; returns {token, item}. */
async function filed(key, content) {
  const r = await resident(`mp-sim-${key}-${STAMP}`, { community_id: community, name: '黄建华' })
  const item = must(await call('POST', '/my/requests', { category_id: roads, content, community_id: community }, r.token), `submit ${key}`)
  return { token: r.token, item }
}

async function cadreDo(id, action, body) {
  return must(await call('POST', `/work/requests/${id}/${action}`, body || {}, cadre.token), `${action} ${id}`)
}

test('before submitting, a resident sees the look-alike item masked and follows it instead (subscription asked at the tap, first)', async () => {
  const other = await filed('lamp', '夏东路公交站旁的路灯坏了一个星期，晚上黑漆漆的，我是黄建华，电话13800001111')
  const me = await resident(`mp-sim-me-${STAMP}`, { community_id: community })
  session.save({ token: me.token }, 'resident')
  session.setResident(me.resident)

  const submit = render(routes.submit)
  await submit.instance.onLoad()
  const names = submit.instance.data.categoryNames
  await fire(submit, '#category', 'change', { value: names.indexOf('道路设施') })
  expect(submit.instance.data.similar).toEqual([]) // nothing asked before there is a text
  await fire(submit, '#content', 'input', { value: '夏东路的路灯不亮好几天了，晚上走路很危险' })
  await fire(submit, '#content', 'blur', {})
  await waitFor(() => submit.instance.data.similar.length, 'the look-alike items')
  expect(submit.instance.data.similar.map((x) => x.id)).toEqual([other.item.id])
  const card = text(submit, `#similar-${other.item.id}`)
  expect(card).toContain(other.item.number)
  expect(card).toContain('路灯')
  expect(card).toContain('0 人也遇到')
  expect(card).not.toMatch(/黄建华|138|0001111/)
  expect(text(submit, '#submit')).toBe('不是同一问题，仍要提交')

  // The subscription is asked inside the tap, before any network call.
  const realSubscribe = wx.requestSubscribeMessage
  let callsAtSubscribe = -1
  wx.requestSubscribeMessage = (opts) => {
    callsAtSubscribe = wxState().requests.length
    realSubscribe(opts)
  }
  const before = wxState().requests.length
  try {
    await fire(submit, `#follow-${other.item.id}`, 'tap')
    await waitFor(() => wxState().nav.length, 'navigation after following')
  } finally {
    wx.requestSubscribeMessage = realSubscribe
  }
  expect(callsAtSubscribe).toBe(before)
  expect(wxState().subscribe).toEqual([await templates('request')])
  const follows = wxState().requests.filter((r) => r.method === 'POST' && r.url.endsWith('/api/v1/my/follows'))
  expect(follows).toHaveLength(1)
  expect(wxState().nav).toEqual([{ type: 'redirectTo', url: `${routes.follow}?id=${other.item.id}` }])
  expect(wx.getStorageSync('zl_request_draft')).toBe('') // followed instead of filing
  expect(must(await call('GET', '/my/requests', undefined, me.token), 'mine').items).toHaveLength(0)

  // The followed item's page, and its progress once the cadre acts.
  const page = render(routes.follow)
  await page.instance.onLoad({ id: String(other.item.id) })
  expect(text(page, '#number')).toBe(other.item.number)
  expect(text(page, '#followers')).toBe('1 人也遇到')
  await cadreDo(other.item.id, 'accept')
  await cadreDo(other.item.id, 'resolve', { result: '已更换灯泡，联系黄建华 13800001111 确认' })
  await page.instance.load()
  expect(text(page, '#status')).toBe('已解决')
  expect(text(page, '#result')).toContain('已更换灯泡')
  expect(text(page, '#result')).not.toMatch(/黄建华|138/)
  expect(page.instance.data.item.steps.map((s) => s.label)).toEqual(['提交诉求', '受理', '办结（已解决）'])

  // It is in the resident's list, under the items they follow.
  const list = render(routes.requests)
  await list.instance.onLoad()
  expect(text(list, `#follow-${other.item.id}`)).toContain(other.item.number)
})

test('a cadre sees the likely duplicate on the item page and merges it into the accepted one', async () => {
  const primary = await filed('p', '夏东路12号路口的井盖不见了，留下一个大洞，晚上很危险')
  const dup = await filed('d', '夏东路路口井盖丢了，有个大洞，怕小孩掉下去，请尽快补上')
  await cadreDo(primary.item.id, 'accept')
  asCadre()

  const item = render(routes.item)
  await item.instance.onLoad({ id: String(dup.item.id) })
  await waitFor(() => item.instance.data.links.duplicates.length, 'the likely duplicates')
  expect(item.instance.data.links.duplicates.map((d) => d.id)).toEqual([primary.item.id])
  expect(text(item, `#dup-${primary.item.id}`)).toContain(primary.item.number)

  await fire(item, `#merge-${primary.item.id}`, 'tap')
  await waitFor(() => item.instance.data.req.status === 'merged', 'the merge')
  expect(wxState().modals).toHaveLength(1)
  await waitFor(() => item.instance.data.links.merged_into, 'the link to the primary')
  expect(text(item, '#merged-into')).toContain(primary.item.number)
  expect(text(item, '#status')).toBe('已合并')
  expect(item.instance.data.actions).toEqual([])

  const prim = render(routes.item)
  await prim.instance.onLoad({ id: String(primary.item.id) })
  await waitFor(() => prim.instance.data.links.merged.length, 'what was merged in')
  expect(text(prim, '#merged')).toContain(dup.item.number)
  expect(text(prim, '#followers')).toContain('1 位群众')

  // The merged item's resident follows the primary, and sees both.
  const theirs = must(await call('GET', `/my/requests/${dup.item.id}`, undefined, dup.token), 'merged item')
  expect(theirs).toMatchObject({ status: 'merged', duplicate_of: primary.item.id })
  const follows = must(await call('GET', '/my/follows', undefined, dup.token), 'follows').items
  expect(follows.map((f) => [f.id, f.via_request_id])).toEqual([[primary.item.id, dup.item.id]])
})

test("the session desk shows the point's 本周热点 before the session opens", async () => {
  for (const [k, content] of [
    ['h1', '夏东路垃圾站三天没人清运，臭气熏天'],
    ['h2', '夏东路垃圾站满了没人收，垃圾堆到马路上'],
    ['h3', '夏东新村垃圾清运不及时，臭得不行'],
  ]) {
    await filed(k, content)
  }
  const other = (beijingNow().isoWeekday % 7) + 1 // no regular session today
  const { point } = await createPoint({ name: unique('夏东热点驻点'), community: '夏东社区', weekday: other, slotMinutes: 5, cutoffHours: 0, admin })
  const today = await sessionToday(point.id, 5, admin)
  asCadre()
  const desk = render(routes.session)
  await desk.instance.onLoad()
  if (desk.instance.data.sessions.length > 1) await fire(desk, `#session-${today.id}`, 'tap')
  await waitFor(() => desk.instance.data.topicsFor === today.id && desk.instance.data.topicsNote, 'the hot topics')
  expect(text(desk, '#topics-note')).toMatch(/^近 7 天共 \d+ 件诉求$/)
  const first = desk.instance.data.topics[0]
  expect(first.words).toContain('垃圾')
  expect(first.count).toBeGreaterThanOrEqual(3)
  expect(text(desk, '#topic-0')).toMatch(/件 · 未办结 \d+\.\d% · 非户籍 \d+\.\d%/)
})
