// The points page on a phone: a map whose markers are the points the server
// lists (with coordinates), callouts with the next session and its free
// seats, 导航 opening the system map, the poster's QR scene opening a point,
// and a shared point card.
const { render, fire, tap, settled, call, wxState } = require('./helpers/mp')
const { createPoint, sessionsOf, unique, must } = require('./helpers/city')
const format = require('../utils/format')
const routes = require('../utils/routes')

let located
let unlocated

beforeAll(async () => {
  located = (await createPoint({ name: unique('地图驻点'), lat: 23.0291, lng: 113.1187, capacity: 2 })).point
  unlocated = (await createPoint({ name: unique('无坐标驻点') })).point
})

/** The next session with seats as the page should show it, from the server's answer. */
async function expectedNext(pointId) {
  const s = (await sessionsOf(pointId)).find((x) => x.status !== 'cancelled')
  if (!s) return null
  const free = s.slots.reduce((n, sl) => n + (sl.bookable ? Math.max(sl.remaining, 0) : 0), 0)
  return { date: s.date, weekday: format.weekday(s.date), free }
}

test('markers match /points; callouts carry the next session and free seats; 导航 opens the system map', async () => {
  const page = render(routes.points)
  await page.instance.onLoad({})
  expect(page.instance.data.state).toBe('ready')
  const listed = must(await call('GET', '/points?page_size=50'), 'points').items
  const withCoords = listed.filter((p) => typeof p.lat === 'number')
  expect(page.instance.data.markers.map((m) => [m.id, m.latitude, m.longitude, m.title])).toEqual(withCoords.map((p) => [p.id, p.lat, p.lng, p.name]))
  expect(page.instance.data.markers.map((m) => m.id)).toContain(located.id)
  expect(page.instance.data.markers.map((m) => m.id)).not.toContain(unlocated.id)
  expect(page.querySelector('#map')).toBeTruthy()

  const next = await expectedNext(located.id)
  expect(next).toBeTruthy()
  expect(next.free).toBeGreaterThan(0)
  const marker = page.instance.data.markers.find((m) => m.id === located.id)
  expect(marker.callout.content).toBe(`${located.name}\n下次接待 ${next.date}（${next.weekday}）· 余 ${next.free} 位`)
  expect(page.querySelector(`#next-${located.id}`).dom.textContent).toBe(`下次接待 ${next.date}（${next.weekday}）· 余 ${next.free} 位`)

  await tap(page, `#nav-${located.id}`)
  expect(wxState().openedLocations).toEqual([{ latitude: located.lat, longitude: located.lng, name: located.name, address: located.address }])
  expect(page.querySelector(`#nav-${unlocated.id}`)).toBeFalsy()

  // tapping a marker's callout opens its sessions
  await fire(page, '#map', 'callouttap', { markerId: located.id })
  await settled()
  expect(page.instance.data.pointId).toBe(located.id)
  expect(page.instance.data.sessionsState).toBe('ready')
})

test('sorted by distance once the resident shares a location', async () => {
  wxState().getLocation = { latitude: located.lat, longitude: located.lng }
  const page = render(routes.points)
  await page.instance.onLoad({})
  await tap(page, '#nearest')
  const listed = must(await call('GET', `/points?page_size=50&lat=${located.lat}&lng=${located.lng}`), 'points').items
  expect(page.instance.data.points.map((p) => p.id)).toEqual(listed.map((p) => p.id))
  expect(page.instance.data.points[0].id).toBe(located.id)
  expect(page.instance.data.center).toEqual({ lat: located.lat, lng: located.lng })
})

test('the poster\'s QR scene p=<id> opens that point\'s sessions; a shared card links back to it', async () => {
  const page = render(routes.points)
  await page.instance.onLoad({ scene: encodeURIComponent(`p=${located.id}`) })
  expect(page.instance.data.pointId).toBe(located.id)
  expect(page.instance.data.pointName).toBe(located.name)
  expect(page.instance.data.sessionsState).toBe('ready')
  expect(page.instance.data.sessions.map((s) => s.id)).toEqual((await sessionsOf(located.id)).map((s) => s.id))
  expect(page.instance.onShareAppMessage()).toEqual({ title: `${located.name} · 驻点接待预约`, path: `/pages/points/points?id=${located.id}` })

  const shared = render(routes.points)
  await shared.instance.onLoad({ id: String(unlocated.id) })
  expect(shared.instance.data.pointId).toBe(unlocated.id)
  expect(shared.instance.data.pointName).toBe(unlocated.name)
})
