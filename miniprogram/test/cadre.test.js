// The cadre workflow through the real pages against the real server: the
// demo cadre of 祖庙街道 signs in, binds WeChat, finds a resident's item in the
// inbox and its filters, opens it (internal timeline, the contact's phone as
// the server shows it, only the actions of its state), accepts it, writes a
// public and an internal note, assigns it to itself and invites the district's
// labour bureau; the bureau accepts and answers on its invitations page; the
// cadre sees the answer and resolves the item; the resident sees the result and
// the public notes only, rates it low and asks for a redo; the item is back in
// the inbox and is resolved again.
const { render, waitFor, fire, tap, text, call, orgId, cadre, wxState, templates } = require('./helpers/mp')
const { resident, backdate, must } = require('./helpers/city')
const api = require('../utils/api')
const session = require('../utils/session')
const format = require('../utils/format')
const routes = require('../utils/routes')

const STAMP = Date.now().toString(36)
const CONTENT = `兆祥社区8栋楼顶水箱漏水，楼下墙面发霉（${STAMP}）`
const PHONE = '13712345678'
const PUBLIC_NOTE = '已联系物业，本周内上楼查看水箱'
const INTERNAL_NOTE = '物业称维修基金需业委会签字，内部跟进'
const INVITE_MESSAGE = '请人社局协助核实物业维修工人的用工情况'
const REPLY = '已核实，维修工人持证上岗，周四到场配合'
const RESULT = '水箱已更换密封圈，墙面已做防霉处理'
const RESULT_AGAIN = '复查发现渗水点在管道接口，已更换管件并试水24小时无渗漏'

let owner // the resident
let item // the item as the resident submitted it
let category
let inviteId = 0

/** A date n days from today (Beijing), YYYY-MM-DD. */
function inDays(n) {
  const d = new Date(Date.now() + 8 * 3600 * 1000 + n * 86400000)
  return d.toISOString().slice(0, 10)
}

/** Signs staff in locally (token and account), as after the login page; the demo cadre's sign-in is shared by the run. */
async function asCadre(username) {
  if (username) await api.staffLogin(username, 'Demo2026zl')
  else require('./helpers/mp').asCadre()
}

async function openItem(id) {
  const p = render(routes.item)
  await p.instance.onLoad({ id: String(id || item.id) })
  expect(p.instance.data.state).toBe('ready')
  return p
}

const actionKeys = (p) => p.instance.data.actions.map((a) => a.key)

/** Runs one action through the item page's form; fill() sets its fields. */
async function act(p, action, fill) {
  await fire(p, `#action-${action}`, 'tap')
  expect(p.instance.data.action).toBe(action)
  if (fill) await fill()
  const before = wxState().toasts.length
  await fire(p, '#action-submit', 'tap')
  await waitFor(() => wxState().toasts.length > before, `the answer to ${action}`)
  return wxState().toasts[wxState().toasts.length - 1]
}

const inboxIds = (inbox) => inbox.instance.data.items.map((x) => x.id)

beforeAll(async () => {
  owner = await resident(`mp-cadre-${STAMP}`, { name: '何阿姨', phone: PHONE, residency: 'hukou' })
  category = must(await call('GET', '/categories'), 'categories').items.find((c) => c.name === '物业管理') || must(await call('GET', '/categories'), 'categories').items[0]
  item = must(await call('POST', '/my/requests', { category_id: category.id, content: CONTENT, community_id: await orgId('兆祥社区') }, owner.token), 'submit')
})

test('the cadre signs in on the login page, binds WeChat, and finds the resident\'s item in the inbox and its filters', async () => {
  const login = render(routes.staffLogin)
  await login.instance.onLoad()
  await fire(login, '#username', 'input', { value: 'zumiao_cadre' })
  await fire(login, '#password', 'input', { value: 'Demo2026zl' })
  await fire(login, '#login', 'tap')
  await waitFor(() => wxState().nav.length, 'navigation after login')
  expect(wxState().nav).toEqual([{ type: 'reLaunch', url: routes.inbox }])

  const inbox = render(routes.inbox)
  await inbox.instance.onLoad()
  expect(inbox.instance.data.state).toBe('ready')

  // bind WeChat: fake WeChat turns the login code X into openid fake_X
  expect(inbox.querySelector('#bound')).toBeFalsy()
  wxState().loginCode = `mp-cadre-bind-${STAMP}`
  await fire(inbox, '#bind-wechat', 'tap')
  await waitFor(() => inbox.querySelector('#bound'), 'the bound account')
  expect(wxState().toasts).toEqual(['已绑定微信'])
  expect(session.account().wechat_bound).toBe(true)
  expect(must(await call('GET', '/auth/me', undefined, cadre().token), 'me').account.wechat_bound).toBe(true)

  // the resident's item, with its category, community and due time
  const row = text(inbox, `#item-${item.id}`)
  expect(row).toContain(CONTENT)
  expect(row).toContain('待受理')
  expect(row).toContain(category.name)
  expect(row).toContain('兆祥社区')
  expect(row).toContain(item.number)
  expect(row).toMatch(/时限 \d\d-\d\d \d\d:\d\d/)

  // each filter shows what the server lists for it
  const staff = session.token()
  const server = async (q) => must(await call('GET', `/work/requests?page_size=20&${q}`, undefined, staff), q).items.map((x) => x.id)
  for (const [key, q] of [['unassigned', 'assignee=unassigned'], ['mine', 'assignee=me'], ['overdue', 'overdue=1'], ['due_soon', 'due_soon=1'], ['all', '']]) {
    await fire(inbox, `#filter-${key}`, 'tap')
    await waitFor(() => inbox.instance.data.state !== 'loading', key)
    expect([key, inboxIds(inbox)]).toEqual([key, await server(q)])
  }
  await fire(inbox, '#filter-unassigned', 'tap')
  await waitFor(() => inbox.instance.data.state !== 'loading', 'unassigned')
  expect(inboxIds(inbox)).toContain(item.id)
  await fire(inbox, '#filter-mine', 'tap')
  await waitFor(() => inbox.instance.data.state !== 'loading', 'mine')
  expect(inboxIds(inbox)).not.toContain(item.id)

  // overdue: another item whose accept time has passed
  const late = must(await call('POST', '/my/requests', { category_id: category.id, content: `楼道堆放杂物无人清理（${STAMP}）`, community_id: await orgId('兆祥社区') }, owner.token), 'submit late')
  await fire(inbox, '#filter-overdue', 'tap')
  await waitFor(() => inbox.instance.data.state !== 'loading', 'overdue')
  expect(inboxIds(inbox)).not.toContain(late.id)
  backdate(late.id)
  await inbox.instance.load()
  expect(inboxIds(inbox)).toContain(late.id)
  expect(inboxIds(inbox)).not.toContain(item.id)
  expect(text(inbox, `#item-${late.id}`)).toContain('已超期')

  // by status: rejected items are not open, so the default list leaves them out
  await fire(inbox, '#filter-all', 'tap')
  await fire(inbox, '#status', 'change', { value: inbox.instance.data.statusNames.indexOf('待受理') })
  await waitFor(() => inbox.instance.data.state !== 'loading', 'submitted')
  expect(inbox.instance.data.items.every((x) => x.status === 'submitted')).toBe(true)
  expect(inboxIds(inbox)).toContain(item.id)

  await fire(inbox, `#item-${item.id}`, 'tap')
  expect(wxState().nav.pop()).toEqual({ type: 'navigateTo', url: `${routes.item}?id=${item.id}` })
})

test('the item shows the contact and only the actions of its state; accept, a public and an internal note, assign to me, invite a department', async () => {
  await asCadre()
  const p = await openItem()
  expect(text(p, '#content')).toBe(CONTENT)
  // staff of the handling org see the phone in full
  expect(p.instance.data.req.phoneMasked).toBe(false)
  expect(text(p, '#contact')).toContain(`何阿姨 ${PHONE}`)
  expect(text(p, '#contact')).toContain('户籍')
  expect(text(p, '#due')).toMatch(/^受理时限：/)
  expect(text(p, '#timeline')).toContain('提交诉求')
  expect(actionKeys(p)).toEqual(['accept', 'reject', 'progress', 'transfer', 'assign'])
  expect(p.querySelector('#action-resolve')).toBeFalsy()

  // a form left empty is refused before anything is sent
  await fire(p, '#action-reject', 'tap')
  const sent = wxState().requests.length
  await tap(p, '#action-submit')
  expect(wxState().toasts.pop()).toBe('请填写不予受理理由')
  expect(wxState().requests.length).toBe(sent)
  await fire(p, '#action-cancel', 'tap')

  expect(wxState().subscribe).toEqual([])
  expect(await act(p, 'accept')).toBe('已提交')
  expect(p.instance.data.req.status).toBe('accepted')
  // accepting asks for the due-time reminders, in the tap (the shim throws elsewhere)
  expect(wxState().subscribe).toEqual([await templates('staff_item')])
  expect(text(p, '#status')).toBe('办理中')
  expect(text(p, '#due')).toMatch(/^办结时限：/)
  expect(actionKeys(p)).toEqual(['progress', 'invite', 'resolve', 'respond', 'park', 'transfer', 'assign'])

  expect(await act(p, 'progress', () => fire(p, '#field-note', 'input', { value: PUBLIC_NOTE }))).toBe('已提交')
  expect(
    await act(p, 'progress', async () => {
      await fire(p, '#field-public', 'change', { value: false })
      await fire(p, '#field-note', 'input', { value: INTERNAL_NOTE })
    })
  ).toBe('已提交')
  const events = p.instance.data.req.timeline
  expect(events.find((e) => e.note === PUBLIC_NOTE).visibility).toBe('public')
  expect(events.find((e) => e.note === INTERNAL_NOTE).visibility).toBe('internal')
  const rows = p.querySelector('#timeline').instance.data.rows
  expect(rows.find((r) => r.note === INTERNAL_NOTE).internal).toBe(true)
  expect(rows.find((r) => r.note === PUBLIC_NOTE).internal).toBe(false)
  expect(text(p, '#timeline')).toContain('内部')

  const me = session.account()
  expect(await act(p, 'assign', () => fire(p, '#assign-me', 'tap'))).toBe('已提交')
  expect(p.instance.data.req.assignee_id).toBe(me.id)

  // the departments offered are those of 禅城区 and of the city
  await fire(p, '#action-invite', 'tap')
  const names = p.instance.data.deptNames
  expect(names).toContain('禅城区 / 禅城区人力资源和社会保障局')
  expect(names.every((n) => /^(禅城区|佛山市) \/ /.test(n))).toBe(true)
  await fire(p, '#action-cancel', 'tap')
  expect(
    await act(p, 'invite', async () => {
      await fire(p, '#field-department_id', 'change', { value: names.indexOf('禅城区 / 禅城区人力资源和社会保障局') })
      await fire(p, '#field-message', 'input', { value: INVITE_MESSAGE })
      await fire(p, '#field-due_date', 'change', { value: inDays(3) })
    })
  ).toBe('已提交')
  const inv = p.instance.data.invitations[0]
  inviteId = inv.id
  expect(inv).toMatchObject({ department_name: '禅城区人力资源和社会保障局', message: INVITE_MESSAGE, due_date: inDays(3), status: 'pending' })
  expect(text(p, `#invitation-${inv.id}`)).toContain('待处理')
  expect(p.instance.data.req.status).toBe('accepted')

  // now it is mine
  const inbox = render(routes.inbox)
  await inbox.instance.onLoad()
  await fire(inbox, '#filter-mine', 'tap')
  await waitFor(() => inbox.instance.data.state !== 'loading', 'mine')
  expect(inboxIds(inbox)).toContain(item.id)
})

test('the labour bureau sees the invitation, accepts and answers it; it sees the item read-only with the phone masked', async () => {
  expect(inviteId).toBeGreaterThan(0)
  await asCadre('chancheng_hrss')
  const page = render(routes.invitations)
  await page.instance.onLoad()
  expect(page.instance.data.side).toBe('incoming')
  const card = () => text(page, `#invitation-${inviteId}`)
  expect(card()).toContain(INVITE_MESSAGE)
  expect(card()).toContain(item.number)
  expect(card()).toContain('待处理')
  // it says who asked: the inviting unit (祖庙街道, where the item is handled)
  expect(text(page, `#asked-by-${inviteId}`)).toMatch(/^祖庙街道 约请本部门/)

  await fire(page, `#accept-${inviteId}`, 'tap')
  await waitFor(() => page.instance.data.items.some((v) => v.id === inviteId && v.status === 'accepted'), 'the accepted invitation')
  expect(card()).toContain('已接受')
  expect(page.querySelector(`#accept-${inviteId}`)).toBeFalsy()

  await fire(page, `#reply-${inviteId}`, 'tap')
  await page.instance.sendForm()
  expect(wxState().toasts.pop()).toBe('请填写答复内容')
  await fire(page, '#form-text', 'input', { value: REPLY })
  await fire(page, '#form-send', 'tap')
  await waitFor(() => page.instance.data.items.some((v) => v.id === inviteId && v.status === 'replied'), 'the answered invitation')
  expect(card()).toContain(`答复：${REPLY}`)
  expect(card()).toContain('已回复')

  // a second answer from a stale screen is refused readably
  const refused = await call('POST', `/work/invitations/${inviteId}/reply`, { message: '再答一次' }, session.token())
  expect(refused.status).toBe(409)
  await page.instance.act(inviteId, 'reply', { message: '再答一次' })
  expect(wxState().toasts.pop()).toBe(refused.body.msg)

  await fire(page, `#open-${inviteId}`, 'tap')
  expect(wxState().nav.pop()).toEqual({ type: 'navigateTo', url: `${routes.item}?id=${item.id}` })
  const p = await openItem()
  expect(p.instance.data.req.can_act).toBe(false)
  expect(p.querySelector('#actions')).toBeFalsy()
  expect(p.querySelector('#read-only')).toBeTruthy()
  expect(p.instance.data.req.phoneMasked).toBe(true)
  expect(text(p, '#contact')).toContain('137****5678')
  expect(text(p, '#contact')).not.toContain(PHONE)
})

test('the inviter sees the answer on the internal timeline and resolves the item with a result', async () => {
  await asCadre()
  const p = await openItem()
  expect(text(p, `#invitation-${inviteId}`)).toContain(`答复：${REPLY}`)
  expect(text(p, `#invitation-${inviteId}`)).toContain('已回复')
  const rows = p.querySelector('#timeline').instance.data.rows
  const answer = rows.find((r) => r.title === '部门答复约请')
  expect(answer).toMatchObject({ note: REPLY, internal: true })
  expect(rows.find((r) => r.title === '部门接受约请').internal).toBe(true)

  // the inviter's side of the invitations page
  const sent = render(routes.invitations)
  await sent.instance.onLoad()
  expect(sent.instance.data.side).toBe('outgoing')
  expect(text(sent, `#invitation-${inviteId}`)).toContain(REPLY)
  expect(sent.querySelector(`#reply-${inviteId}`)).toBeFalsy()

  expect(await act(p, 'resolve', () => fire(p, '#field-result', 'input', { value: RESULT }))).toBe('已提交')
  expect(p.instance.data.req.status).toBe('resolved')
  expect(text(p, '#result')).toBe(`办理结果：${RESULT}`)
  expect(p.instance.data.actions).toEqual([])
  expect(p.querySelector('#actions')).toBeFalsy()
})

test('the resident sees the result and the public notes only, rates it low and asks for a redo; the cadre finds it again and resolves it', async () => {
  session.save({ token: owner.token }, 'resident')
  session.setResident(owner.resident)
  const r = render(routes.request)
  await r.instance.onLoad({ id: String(item.id) })
  expect(r.instance.data.state).toBe('ready')
  expect(r.dom.textContent).toContain(RESULT)
  const tl = text(r, '#timeline')
  expect(tl).toContain(PUBLIC_NOTE)
  expect(tl).toContain(format.ACTION_LABELS.resolve)
  expect(tl).not.toContain(INTERNAL_NOTE)
  expect(tl).not.toContain(INVITE_MESSAGE)
  expect(tl).not.toContain(REPLY)
  expect(tl).not.toContain('内部')

  await fire(r, '#star-2', 'tap')
  await fire(r, '#redo', 'change', { value: true })
  await r.instance.rate()
  expect(wxState().toasts.pop()).toBe('申请重办请说明原因')
  await fire(r, '#comment', 'input', { value: '墙面还在渗水，没有解决' })
  await fire(r, '#rate', 'tap')
  await waitFor(() => r.instance.data.req.status === 'accepted', 'the redo')
  expect(wxState().toasts.pop()).toBe('已申请重办')
  expect(r.querySelector('#rating')).toBeFalsy()
  expect(text(r, '#timeline')).toContain('申请重办')

  await asCadre()
  const inbox = render(routes.inbox)
  await inbox.instance.onLoad()
  expect(text(inbox, `#item-${item.id}`)).toContain('办理中')
  const p = await openItem()
  expect(p.instance.data.req.redo_count).toBe(1)
  expect(p.instance.data.req.rating).toBe(2)
  expect(actionKeys(p)).toContain('resolve')
  expect(await act(p, 'resolve', () => fire(p, '#field-result', 'input', { value: RESULT_AGAIN }))).toBe('已提交')
  expect(p.instance.data.req.status).toBe('resolved')

  const seen = must(await call('GET', `/my/requests/${item.id}`, undefined, owner.token), 'request')
  expect(seen).toMatchObject({ status: 'resolved', result: RESULT_AGAIN, can_rate: true })
})
