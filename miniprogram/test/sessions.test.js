// A resident books a Tuesday liaison session through the real pages against
// the real server: points nearest first, upcoming sessions with seats left,
// booking with a topic, the check-in code large and as a QR code, cancelling,
// booking again, a retry on a bad network, and a slot someone else filled.
const { render, waitFor, fire, text, call, wxState, templates } = require('./helpers/mp')
const { createPoint, resident, sessionsOf, unique, must } = require('./helpers/city')
const api = require('../utils/api')
const session = require('../utils/session')
const routes = require('../utils/routes')
const { matrix } = require('../utils/qr')

// Near 祖庙 (WGS-84); "near" is ~150 m away, "far" ~4 km.
const HERE = { latitude: 23.0307, longitude: 113.1148 }
const CODE = `mp-book-${Date.now().toString(36)}`
let near
let far

beforeAll(async () => {
  near = (await createPoint({ name: unique('近驻点'), lat: 23.0317, lng: 113.1158, capacity: 3 })).point
  far = (await createPoint({ name: unique('远驻点'), lat: 23.0607, lng: 113.1348, capacity: 1 })).point
  await resident(CODE, { name: '王芳' })
})


async function signIn() {
  wxState().loginCode = CODE
  await api.residentLogin()
}

/** The first slot that still takes bookings in a point's upcoming sessions. */
async function firstBookable(pointId) {
  for (const s of await sessionsOf(pointId)) {
    const sl = (s.slots || []).find((x) => x.bookable)
    if (sl) return { session: s, slot: sl }
  }
  throw new Error(`point ${pointId} has no bookable slot`)
}

/** Opens the points page and selects a point (its sessions load). */
async function openPoint(pointId) {
  const points = render(routes.points)
  await points.instance.onLoad()
  await fire(points, `#point-${pointId}`, 'tap')
  await waitFor(() => points.instance.data.sessionsState === 'ready', 'the sessions of the point')
  return points
}

const isoWeekday = (date) => {
  const [y, m, d] = date.split('-').map(Number)
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay() || 7
}

test('points nearest first; upcoming Tuesdays with seats left; book with a topic; my bookings shows the code large and as a QR; cancel; book again', async () => {
  await signIn()
  wxState().getLocation = HERE

  const points = render(routes.points)
  await points.instance.onLoad()
  await fire(points, '#nearest', 'tap')
  await waitFor(() => points.instance.data.points.some((p) => p.distance), 'points with distances')
  const listed = points.instance.data.points
  const withDistance = listed.filter((p) => typeof p.distance_m === 'number')
  expect(withDistance.map((p) => p.distance_m)).toEqual(withDistance.map((p) => p.distance_m).sort((a, b) => a - b))
  expect(listed.findIndex((p) => p.id === near.id)).toBeLessThan(listed.findIndex((p) => p.id === far.id))
  expect(text(points, `#point-${near.id}`)).toMatch(/距您约 1\d\d 米/)
  expect(text(points, `#point-${far.id}`)).toMatch(/距您约 \d\.\d 公里/)
  const here = wxState().requests.filter((r) => r.url.includes('/api/v1/points?')).pop()
  expect(here.url).toContain(`lat=${HERE.latitude}`)

  await fire(points, `#point-${near.id}`, 'tap')
  await waitFor(() => points.instance.data.sessionsState === 'ready', 'the sessions of the point')
  const sessions = points.instance.data.sessions
  expect(sessions.length).toBeGreaterThanOrEqual(1)
  sessions.forEach((s) => expect(isoWeekday(s.date)).toBe(2))
  const { session: sess, slot } = await firstBookable(near.id)
  expect(text(points, '#sessions')).toContain(sess.date)
  expect(text(points, '#sessions')).toContain('余 3')

  await fire(points, '#topic', 'input', { value: '孩子入学积分咨询' })
  await fire(points, `#book-${slot.id}`, 'tap')
  await waitFor(() => wxState().nav.length, 'navigation after booking')
  expect(wxState().nav).toEqual([{ type: 'navigateTo', url: routes.bookings }])
  expect(wxState().subscribe).toEqual([await templates('booking')])

  const mine = must(await call('GET', '/my/bookings', undefined, session.token()), 'my bookings').items
  expect(mine).toHaveLength(1)
  const booking = mine[0]
  expect(booking).toMatchObject({ status: 'booked', slot_id: slot.id, topic: '孩子入学积分咨询', point_name: near.name, date: sess.date })
  expect(booking.qr).toBe(`ZLBK:${sess.id}:${booking.code}`)

  const list = render(routes.bookings)
  await list.instance.onLoad()
  const card = text(list, `#booking-${booking.id}`)
  expect(card).toContain(near.name)
  expect(card).toContain('已预约')
  expect(card).toContain('事由：孩子入学积分咨询')
  expect(card).toContain(sess.date)
  expect(card).toMatch(/\d\d:\d\d–\d\d:\d\d/)
  expect(text(list, `#code-${booking.id}`)).toBe(booking.code)
  expect(list.querySelector(`#code-${booking.id}`).dom.className).toMatch(/big-code/)
  const qr = list.querySelector(`#qr-${booking.id}`)
  expect(qr.dom.querySelectorAll('.qr-code--dark').length).toBe(matrix(booking.qr).flat().filter(Boolean).length)

  // home shows the next booking
  const home = render(routes.home)
  await home.instance.onLoad()
  expect(text(home, '#next-booking')).toContain(booking.code)

  await fire(list, `#cancel-${booking.id}`, 'tap')
  await waitFor(() => list.instance.data.items[0] && list.instance.data.items[0].status === 'cancelled', 'the cancelled booking')
  expect(wxState().modals.pop().title).toBe('取消预约')
  expect(wxState().toasts).toContain('已取消')
  expect(text(list, `#booking-${booking.id}`)).toContain('已取消')
  expect(list.querySelector(`#code-${booking.id}`)).toBeFalsy()
  expect((await firstBookable(near.id)).slot.remaining).toBe(3) // the seat came back

  // book the same slot again
  wxState().nav = []
  const again = await openPoint(near.id)
  await fire(again, `#book-${slot.id}`, 'tap')
  await waitFor(() => wxState().nav.length, 'navigation after booking again')
  await list.instance.onLoad()
  const rebooked = list.instance.data.items.find((b) => b.status === 'booked')
  expect(rebooked.id).not.toBe(booking.id)
  expect(rebooked.slot_id).toBe(slot.id)
  expect(text(list, `#code-${rebooked.id}`)).toBe(rebooked.code)
})

test('a booking whose answer was lost is not made twice when the resident taps again', async () => {
  await signIn()
  const { slot } = await firstBookable(far.id)
  const before = must(await call('GET', '/my/bookings', undefined, session.token()), 'bookings').items.length

  const points = await openPoint(far.id)
  wxState().netFailures.push({ match: '/api/v1/my/bookings', lost: true })
  await fire(points, `#book-${slot.id}`, 'tap')
  await waitFor(() => wxState().toasts.length, 'the network message')
  expect(wxState().toasts).toEqual(['网络超时，请稍后重试'])
  expect(wxState().nav).toEqual([])

  await fire(points, `#book-${slot.id}`, 'tap')
  await waitFor(() => wxState().nav.length, 'navigation after the retry')
  const posts = wxState().requests.filter((r) => r.method === 'POST' && r.url.endsWith('/api/v1/my/bookings'))
  expect(posts).toHaveLength(2)
  expect(posts[0].header['Idempotency-Key']).toBe(posts[1].header['Idempotency-Key'])
  const after = must(await call('GET', '/my/bookings', undefined, session.token()), 'bookings').items
  expect(after.length).toBe(before + 1)

  // release the seat for the next test
  const b = after.find((x) => x.slot_id === slot.id && x.status === 'booked')
  must(await call('POST', `/my/bookings/${b.id}/cancel`, {}, session.token()), 'cancel')
})

test('a slot another resident filled first shows a readable message and then shows as full', async () => {
  await signIn()
  const { slot } = await firstBookable(far.id)
  expect(slot.capacity).toBe(1)
  const points = await openPoint(far.id)
  expect(points.querySelector(`#book-${slot.id}`)).toBeTruthy()

  const other = await resident(`mp-book-other-${Date.now().toString(36)}`, { name: '赵先生' })
  const taken = await call('POST', '/my/bookings', { slot_id: slot.id, topic: '社保咨询' }, other.token)
  expect(taken.status).toBe(201)

  await fire(points, `#book-${slot.id}`, 'tap')
  await waitFor(() => wxState().toasts.length, 'the refusal')
  expect(wxState().toasts).toEqual(['该时段已约满，请选择其他时段'])
  await waitFor(() => points.querySelector(`#full-${slot.id}`), 'the slot shown as full')
  expect(text(points, `#full-${slot.id}`)).toBe('已满')
  expect(points.querySelector(`#book-${slot.id}`)).toBeFalsy()
  expect(wxState().nav).toEqual([])
})
