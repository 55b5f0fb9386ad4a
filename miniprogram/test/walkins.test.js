// Walk-in items on today's session page against the real server: one for a
// booked resident by their check-in code (it lands in their own list), one for
// someone without WeChat (name, phone, 非户籍), a wrong code refused readably;
// one item solved on the spot through the item page; closing shows the
// attendance, items collected and solved on the spot as the server counts them.
const { render, waitFor, fire, text, call, asCadre, wxState } = require('./helpers/mp')
const { createPoint, resident, sessionToday, beijingNow, unique, must } = require('./helpers/city')
const routes = require('../utils/routes')

const WXML = require('fs').readFileSync(require('path').join(__dirname, '..', 'pages/work/session/session.wxml'), 'utf8')

let today
let booked
let categories

beforeAll(async () => {
  const other = (beijingNow().isoWeekday % 7) + 1 // no regular session today
  const point = (await createPoint({ name: unique('现场登记驻点'), weekday: other, windows: [{ start: '09:00', end: '10:00' }], slotMinutes: 5, capacity: 2, cutoffHours: 0 })).point
  today = await sessionToday(point.id, 5)
  const slots = must(await call('GET', `/points/${point.id}/sessions`), 'sessions').items.find((s) => s.id === today.id).slots
  const r = await resident(`mp-walkin-${Date.now().toString(36)}`, { name: '区大姐' })
  booked = Object.assign({ token: r.token }, must(await call('POST', '/my/bookings', { slot_id: slots[0].id, topic: '孩子入学积分' }, r.token), 'book'))
  categories = must(await call('GET', '/categories'), 'categories').items
})

async function openDesk() {
  asCadre()
  const desk = render(routes.session)
  await desk.instance.onLoad()
  expect(desk.instance.data.state).toBe('ready')
  if (desk.instance.data.sessions.length > 1) await fire(desk, `#session-${today.id}`, 'tap')
  await waitFor(() => desk.instance.data.current && desk.instance.data.current.id === today.id, "today's session")
  return desk
}

async function record(desk, fill) {
  await fire(desk, '#walkin-category', 'change', { value: 0 })
  await fill()
  const before = wxState().toasts.length
  await fire(desk, '#walkin-add', 'tap')
  await waitFor(() => wxState().toasts.length > before, 'the walk-in answer')
  return wxState().toasts[wxState().toasts.length - 1]
}

test('every walk-in field has a visible label and an aria-label; the pickers look empty until chosen', async () => {
  const desk = await openDesk()
  const labels = {
    'walkin-category': '诉求类别',
    'walkin-content': '诉求内容',
    'walkin-code': '签到码（已预约的群众，选填）',
    'walkin-name': '群众姓名（选填）',
    'walkin-phone': '联系电话（选填）',
    'walkin-residency': '户籍类型（选填）',
  }
  for (const [id, label] of Object.entries(labels)) {
    expect(text(desk, `#${id}-label`)).toBe(label)
    const field = desk.querySelector(`#${id}`)
    // the simulator drops aria-* from the DOM: read them from the page's WXML
    expect(new RegExp(`id="${id}"[^>]*aria-label="([^"]*)"`).exec(WXML)[1]).toBe(label)
    // the label sits in the same field as its control, above it
    expect(desk.querySelector(`#${id}-label`).dom.parentNode).toBe(field.dom.parentNode)
  }
  const cat = () => desk.querySelector('#walkin-category-value').dom
  expect(cat().className).toMatch(/main--placeholder/)
  expect(cat().textContent).toBe('请选择分类')
  expect(desk.querySelector('#walkin-residency-value').dom.className).toMatch(/main--placeholder/)
  await fire(desk, '#walkin-category', 'change', { value: 0 })
  expect(cat().className).not.toMatch(/placeholder/)
  expect(cat().textContent).toBe(categories[0].name)
  await fire(desk, '#walkin-residency', 'change', { value: 1 })
  expect(desk.querySelector('#walkin-residency-value').dom.className).not.toMatch(/placeholder/)
  // a typed code hides the person's fields (and their labels) — the code says who it is
  await fire(desk, '#walkin-code', 'input', { value: 'ABC123' })
  expect(desk.querySelector('#walkin-name-label')).toBeFalsy()
  await fire(desk, '#walkin-code', 'input', { value: '' })
})

test('the cadre records walk-ins with and without a booking code, solves one on the spot, and closing shows the server\'s figures', async () => {
  const desk = await openDesk()
  expect(desk.instance.data.categoryNames).toEqual(categories.map((c) => c.name))

  // the booked resident checks in, then raises a matter at the desk
  await fire(desk, '#code', 'input', { value: booked.code })
  await fire(desk, '#checkin', 'tap')
  await waitFor(() => desk.instance.data.checkedIn === 1, 'the check-in')

  // a code of nobody at this session is refused readably and the form is kept
  expect(
    await record(desk, async () => {
      await fire(desk, '#walkin-content', 'input', { value: '孩子入学积分怎么计算，需要哪些材料' })
      await fire(desk, '#walkin-code', 'input', { value: 'ZZZZZZ' })
    })
  ).toBe('签到码不正确，未找到本场接访的这条预约')
  expect(desk.instance.data.walkIn.content).toBe('孩子入学积分怎么计算，需要哪些材料')
  expect(desk.querySelector('#walkin-name')).toBeFalsy() // a code stands for the person

  expect(await record(desk, () => fire(desk, '#walkin-code', 'input', { value: booked.code.toLowerCase() }))).toBe('已登记')
  const first = desk.instance.data.walkIns[0]
  expect(text(desk, `#walkin-${first.id}`)).toContain('区大姐')
  expect(desk.instance.data.walkIn).toMatchObject({ content: '', code: '', categoryIndex: -1 })
  // it is the resident's own item now, from the session
  const mine = must(await call('GET', `/my/requests/${first.id}`, undefined, booked.token), 'the resident sees it')
  expect(mine).toMatchObject({ source: 'session', status: 'submitted', category_id: categories[0].id })

  // someone without WeChat: name, phone, 非户籍
  expect(await record(desk, () => fire(desk, '#walkin-content', 'input', { value: '短' }))).toBe('请至少写5个字')
  expect(
    await record(desk, async () => {
      await fire(desk, '#walkin-content', 'input', { value: '出租屋楼道消防栓没有水' })
      await fire(desk, '#walkin-name', 'input', { value: '梁伯' })
      await fire(desk, '#walkin-phone', 'input', { value: '13698765432' })
      await fire(desk, '#walkin-residency', 'change', { value: 1 })
    })
  ).toBe('已登记')
  const second = desk.instance.data.walkIns[1]
  expect(text(desk, `#walkin-${second.id}`)).toContain('梁伯')

  // solved on the spot: open it from the session page, accept and resolve
  await fire(desk, `#walkin-${second.id}`, 'tap')
  expect(wxState().nav.pop()).toEqual({ type: 'navigateTo', url: `${routes.item}?id=${second.id}` })
  const item = render(routes.item)
  await item.instance.onLoad({ id: String(second.id) })
  expect(item.instance.data.req).toMatchObject({ source: 'session', residency: 'non_hukou', contactName: '梁伯', contactPhone: '13698765432' })
  expect(text(item, '#contact')).toContain('非户籍常住')
  expect(item.dom.textContent).toContain('驻点接访')
  expect(text(item, '#content')).toBe('出租屋楼道消防栓没有水')
  for (const [action, fill] of [['accept', null], ['resolve', () => fire(item, '#field-result', 'input', { value: '当场联系消防维保单位恢复供水' })]]) {
    await fire(item, `#action-${action}`, 'tap')
    if (fill) await fill()
    await fire(item, '#action-submit', 'tap')
    await waitFor(() => item.instance.data.action === '', action)
  }
  expect(item.instance.data.req.status).toBe('resolved')

  // close: 1 checked in + 1 walk-in without an account came; 2 items, 1 solved
  await fire(desk, '#summary', 'input', { value: '接待两人，现场解决一件，一件转社区跟进。' })
  await fire(desk, '#close', 'tap')
  await waitFor(() => desk.querySelector('#closed'), 'the closing figures')
  const ledger = must(await call('GET', `/work/sessions/${today.id}`, undefined, require('../utils/session').token()), 'session').ledger
  expect(ledger).toMatchObject({ attendees: 2, no_shows: 0, collected: 2, solved_on_spot: 1 })
  expect(text(desk, '#closed')).toBe('接待已结束：到场 2 人，未到 0 人，收集诉求 2 件，现场解决 1 件。')
  expect(desk.querySelector('#walk-in')).toBeFalsy()
})
