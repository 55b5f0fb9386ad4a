// What people see (issue items 13–17), where a test can see it: the sizes
// elder mode gives controls and components, contrast of secondary text, the
// brand-blue primary and the distinct, confirmed destructive actions, content
// before codes, weekdays, the order of bookings and empty states with a next step.
const fs = require('fs')
const path = require('path')
const { ROOT, render, fire, tap, call, asCadre, wxState } = require('./helpers/mp')
const { resident, must } = require('./helpers/city')
const session = require('../utils/session')
const routes = require('../utils/routes')

const APP = fs.readFileSync(path.join(ROOT, 'app.wxss'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '')

/** The declarations of a rule whose selector list contains `selector`. */
function rule(selector) {
  const re = /([^{}]+)\{([^}]*)\}/g
  let m
  const out = {}
  while ((m = re.exec(APP))) {
    if (m[1].split(',').map((s) => s.trim()).indexOf(selector) < 0) continue
    m[2].split(';').forEach((d) => {
      const [k, v] = d.split(':').map((x) => x && x.trim())
      if (k && v) out[k] = v
    })
  }
  return out
}

const rpx = (v) => Number(/^(\d+)rpx/.exec(v || '')[1])

/** WCAG contrast ratio of a #rrggbb colour on white. */
function contrast(hex) {
  const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((x) => (x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4))
  const l = 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
  return 1.05 / (l + 0.05)
}

test('elder mode enlarges controls and secondary text and hides nothing', () => {
  expect(rpx(rule('.elder button')['min-height'])).toBeGreaterThanOrEqual(88)
  expect(rpx(rule('.elder button')['font-size'])).toBeGreaterThanOrEqual(40)
  expect(rpx(rule('.elder .muted')['font-size'])).toBeGreaterThanOrEqual(40)
  expect(rpx(rule('.elder .chip')['min-height'])).toBeGreaterThanOrEqual(88)
  expect(rpx(rule('.elder .thumb-wrap .remove').width)).toBeGreaterThanOrEqual(88)
  expect(rpx(rule('.elder .badge')['font-size'])).toBeGreaterThanOrEqual(36)
  expect(rpx(rule('.elder .meta')['font-size'])).toBeGreaterThanOrEqual(36)
  expect(APP).not.toMatch(/\.elder\s+\.secondary\s*\{[^}]*display:\s*none/)
  // the components let the page's .elder reach them
  for (const c of ['status-badge', 'timeline', 'state-view']) {
    expect(fs.readFileSync(path.join(ROOT, 'components', c, `${c}.js`), 'utf8')).toMatch(/addGlobalClass:\s*true/)
  }
  // the statistics headline is not shrunk by a later elder rule
  const statsCss = fs.readFileSync(path.join(ROOT, 'pages/work/stats/stats.wxss'), 'utf8')
  const big = [...statsCss.matchAll(/\.elder \.big\s*\{[^}]*font-size:\s*(\d+)rpx/g)].map((m) => Number(m[1]))
  const plain = [...statsCss.matchAll(/(^|\n)\.big\s*\{[^}]*font-size:\s*(\d+)rpx/g)].map((m) => Number(m[2]))
  if (big.length && plain.length) expect(Math.min(...big)).toBeGreaterThanOrEqual(Math.max(...plain))
})

test('secondary text meets WCAG AA; primary is brand blue; destructive is distinct', () => {
  expect(contrast(rule('.muted').color)).toBeGreaterThanOrEqual(4.5)
  expect(contrast(rule('.label').color)).toBeGreaterThanOrEqual(4.5)
  expect(rule('.primary').background).toBe('#1d5fbf')
  expect(rule('.destructive').color).not.toBe(rule('.primary').color)
  expect(contrast(rule('.destructive').color)).toBeGreaterThanOrEqual(4.5)
  // no WeChat-green primary buttons left
  const wxml = (dir) => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? wxml(path.join(dir, e.name)) : e.name.endsWith('.wxml') ? [fs.readFileSync(path.join(dir, e.name), 'utf8')] : []))
  expect(wxml(path.join(ROOT, 'pages')).join('\n')).not.toMatch(/type="primary"/)
})

test('不予受理 is styled apart from 受理 and asks to confirm; cancelling it sends nothing', async () => {
  const owner = await resident(`mp-look-${Date.now().toString(36)}`, { name: '郑女士' })
  const item = must(await call('POST', '/my/requests', { category_id: 1, content: '菜市场门口污水横流，路过都要绕开', community_id: owner.resident.community_id }, owner.token), 'submit')
  asCadre()
  const p = render(routes.item)
  await p.instance.onLoad({ id: String(item.id) })
  expect(p.querySelector('#action-reject').dom.className).toMatch(/main--destructive/)
  expect(p.querySelector('#action-accept').dom.className).not.toMatch(/destructive/)
  await fire(p, '#action-reject', 'tap')
  await fire(p, '#field-reason', 'input', { value: '不属于受理范围' })
  expect(p.querySelector('#action-submit').dom.className).toMatch(/main--destructive/)
  wxState().modalConfirm = false
  const before = wxState().requests.length
  await tap(p, '#action-submit')
  expect(wxState().modals.map((m) => m.title)).toEqual(['确认不予受理？'])
  expect(wxState().requests.length).toBe(before)
  expect(must(await call('GET', `/work/requests/${item.id}`, undefined, session.token()), 'item').status).toBe('submitted')
})

test('cards open with the content; bookings show the weekday; no bookings offers the next step', async () => {
  const r = await resident(`mp-look-b-${Date.now().toString(36)}`, { name: '冯先生' })
  session.save({ token: r.token }, 'resident')
  session.setResident(r.resident)
  const list = render(routes.bookings)
  await list.instance.onLoad()
  expect(list.instance.data.state).toBe('empty')
  expect(list.instance.data.message).toMatch(/驻点/)
  await fire(list, '#to-points', 'tap')
  expect(wxState().nav).toEqual([{ type: 'navigateTo', url: routes.points }])

  const item = must(await call('POST', '/my/requests', { category_id: 1, content: '楼下早餐店油烟很大，熏得开不了窗', community_id: r.resident.community_id }, r.token), 'submit')
  const mine = render(routes.requests)
  await mine.instance.onLoad()
  const card = mine.querySelector(`#request-${item.id}`).dom.textContent.trim()
  expect(card.indexOf('楼下早餐店')).toBeLessThan(card.indexOf(item.number))
})

test('elder mode follows a large system font until the resident chooses', async () => {
  const prefs = require('../utils/prefs')
  const { elderClass } = require('./helpers/mp')
  wxState().fontSize = 22
  expect(prefs.isElder()).toBe(true)
  const launch = render(routes.staffLogin)
  expect(elderClass(launch)).toBe(true)
  prefs.setElder(false)
  expect(prefs.isElder()).toBe(false)
  wxState().fontSize = 17
  wx.removeStorageSync(prefs.ELDER_KEY)
  expect(prefs.isElder()).toBe(false)
})

test('tappable symbols carry a label for screen readers', () => {
  const src = (p) => fs.readFileSync(path.join(ROOT, p), 'utf8')
  expect(src('pages/submit/submit.wxml')).toMatch(/bindtap="removePhoto" aria-role="button" aria-label="删除第/)
  expect(src('pages/submit/submit.wxml')).toMatch(/id="add-photo"[^>]*aria-label="添加照片"/)
  expect(src('pages/request/request.wxml')).toMatch(/bindtap="setScore" aria-role="button" aria-label="\{\{item\}\}星"/)
  expect(src('pages/points/points.wxml')).toMatch(/aria-label="导航到\{\{item.name\}\}"/)
})
