// A cadre works today's liaison session through the real page against the
// real server: the roster, check-in by typed code and by wx.scanCode of the
// resident's QR payload, readable refusals, and closing with a summary.
// Today is not necessarily a Tuesday, so the demo admin adds an extra session
// today at a point of its own whose rule falls on another weekday.
const { render, waitFor, fire, text, call, asCadre, wxState } = require('./helpers/mp')
const { createPoint, resident, sessionToday, beijingNow, unique, must } = require('./helpers/city')
const routes = require('../utils/routes')

let point
let today
const people = {}

beforeAll(async () => {
  const other = (beijingNow().isoWeekday % 7) + 1 // tomorrow's weekday: no regular session today
  point = (await createPoint({ name: unique('今日驻点'), weekday: other, windows: [{ start: '09:00', end: '10:00' }], slotMinutes: 5, capacity: 2, cutoffHours: 0 })).point
  today = await sessionToday(point.id, 5)
  const slots = must(await call('GET', `/points/${point.id}/sessions`), 'sessions').items.find((s) => s.id === today.id).slots
  const stamp = Date.now().toString(36)
  for (const [key, name, slot] of [['typed', '陈阿姨', 0], ['scanned', '刘师傅', 0], ['absent', '黄小姐', 1]]) {
    const r = await resident(`mp-desk-${key}-${stamp}`, { name })
    const b = must(await call('POST', '/my/bookings', { slot_id: slots[slot].id, topic: `${name}的事` }, r.token), `book for ${name}`)
    people[key] = Object.assign({ name, token: r.token }, b)
  }
})

/** The demo cadre of 祖庙街道 opens the session page on today's session. */
async function openDesk() {
  asCadre()
  const desk = render(routes.session)
  await desk.instance.onLoad()
  expect([desk.instance.data.state, desk.instance.data.message]).toEqual(['ready', ''])
  // other points of the town may hold a session today as well (e.g. on a Tuesday)
  if (desk.instance.data.sessions.length > 1) await fire(desk, `#session-${today.id}`, 'tap')
  await waitFor(() => desk.instance.data.current && desk.instance.data.current.id === today.id, "today's session")
  return desk
}

const status = (desk, key) => desk.instance.data.roster.find((b) => b.id === people[key].id).status

test("a cadre opens today's session, sees the roster and checks residents in by typed code and by scanning", async () => {
  const desk = await openDesk()
  expect(desk.instance.data.sessions.every((s) => s.date === beijingNow().date)).toBe(true)
  expect(text(desk, '#roster-title')).toBe('预约名单（已签到 0 / 3）')
  for (const key of ['typed', 'scanned', 'absent']) {
    const row = text(desk, `#roster-${people[key].id}`)
    expect(row).toContain(people[key].name)
    expect(row).toContain(`${people[key].name}的事`)
    expect(row).toContain('已预约')
    expect(row).toMatch(/\d\d:\d\d–\d\d:\d\d/)
  }

  // a code of nobody in this session, then a QR code of another session
  await fire(desk, '#code', 'input', { value: 'ZZZZZZ' })
  await fire(desk, '#checkin', 'tap')
  await waitFor(() => wxState().toasts.length, 'the refusal')
  expect(wxState().toasts.pop()).toBe('签到码不正确，未找到本场接访的这条预约')
  wxState().scanCode = { result: `ZLBK:${today.id + 100000}:${people.scanned.code}`, scanType: 'QR_CODE' }
  await fire(desk, '#scan', 'tap')
  await waitFor(() => wxState().toasts.length, 'the refusal')
  expect(wxState().toasts.pop()).toBe('二维码不属于本场接访')

  // typed, in lower case as a cadre may type it
  await fire(desk, '#code', 'input', { value: people.typed.code.toLowerCase() })
  await fire(desk, '#checkin', 'tap')
  await waitFor(() => status(desk, 'typed') === 'checked_in', 'the typed check-in')
  expect(wxState().toasts.pop()).toBe(`${people.typed.name}已签到`)
  expect(desk.instance.data.code).toBe('')

  // scanned: wx.scanCode answers the booking's QR payload
  wxState().scanCode = { result: people.scanned.qr, scanType: 'QR_CODE' }
  await fire(desk, '#scan', 'tap')
  await waitFor(() => status(desk, 'scanned') === 'checked_in', 'the scanned check-in')
  expect(wxState().toasts.pop()).toBe(`${people.scanned.name}已签到`)
  expect(text(desk, '#roster-title')).toBe('预约名单（已签到 2 / 3）')
  expect(text(desk, `#roster-${people.typed.id}`)).toContain('已签到')

  // the same code again is refused readably
  await fire(desk, '#scan', 'tap')
  await waitFor(() => wxState().toasts.length, 'the refusal')
  expect(wxState().toasts.pop()).toMatch(/^当前状态（.+）不能/)

  // the residents see it too
  const seen = must(await call('GET', `/my/bookings/${people.typed.id}`, undefined, people.typed.token), 'booking')
  expect(seen.status).toBe('checked_in')
})

test('the cadre closes the session with a summary; who did not come is a no-show', async () => {
  const desk = await openDesk()
  await desk.instance.close()
  expect(wxState().toasts).toEqual(['请填写接待小结'])
  await fire(desk, '#summary', 'input', { value: '到场两人，均已当场答复。' })
  await fire(desk, '#close', 'tap')
  await waitFor(() => desk.querySelector('#closed'), 'the closing figures')
  expect(wxState().modals.pop().title).toBe('结束接待')
  expect(text(desk, '#closed')).toBe('接待已结束：到场 2 人，未到 1 人，收集诉求 0 件，现场解决 0 件。')
  expect(desk.querySelector('#scan')).toBeFalsy()
  expect(desk.querySelector('#close')).toBeFalsy()
  await waitFor(() => status(desk, 'absent') === 'no_show', 'the no-show on the roster')
  expect(must(await call('GET', `/my/bookings/${people.absent.id}`, undefined, people.absent.token), 'booking').status).toBe('no_show')

  // reopened later, the page shows the closed session's figures
  const later = await openDesk()
  expect(text(later, '#closed')).toContain('到场 2 人，未到 1 人')
})
