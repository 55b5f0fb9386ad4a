// Shared components and pure helpers.
const { render, fire, text, wxState } = require('./helpers/mp')
const { matrix } = require('../utils/qr')
const privacy = require('../utils/privacy')
const forms = require('../utils/action-forms')
const orgs = require('../utils/orgs')
const format = require('../utils/format')

test('status-badge shows the readable status', async () => {
  const b = render('/components/status-badge/status-badge', { kind: 'request', status: 'responded' })
  expect(b.dom.textContent).toBe('已答复')
  b.setData({ status: 'withdrawn' })
  expect(b.dom.textContent).toBe('已撤回')
  expect(render('/components/status-badge/status-badge', { kind: 'booking', status: 'checked_in' }).dom.textContent).toBe('已签到')
})

test('timeline lists events with labels, notes and internal marks', () => {
  const t = render('/components/timeline/timeline', {
    showVisibility: true,
    items: [
      { action: 'submit', to_status: 'submitted', note: '', at: '2026-11-24T01:00:00Z' },
      { action: 'accept', from_status: 'submitted', to_status: 'accepted', note: '', at: '2026-11-24T02:00:00Z', visibility: 'public' },
      { action: 'progress', from_status: 'accepted', to_status: 'accepted', note: '已联系物业', at: '2026-11-24T03:00:00Z', visibility: 'internal' },
      { action: 'invite_reply', from_status: 'accepted', to_status: 'accepted', note: '下周二到场答复', at: '2026-11-24T04:00:00Z', visibility: 'internal' },
    ],
  })
  const s = t.dom.textContent
  expect(s).toContain('提交诉求')
  expect(s).toContain('待受理')
  expect(s).toContain('已联系物业')
  expect(s).toContain('部门答复约请')
  // a state shown only where it changed; internal marks only for the two internal events
  expect(t.instance.data.rows.map((r) => [r.status, r.internal])).toEqual([['待受理', false], ['办理中', false], ['', true], ['', true]])
  expect(s.split('内部').length - 1).toBe(2)
  const plain = render('/components/timeline/timeline', { items: [{ action: 'progress', note: '内部说明', at: '2026-11-24T03:00:00Z', visibility: 'internal' }] })
  expect(plain.querySelector('.internal')).toBeFalsy()
  expect(t.instance.data.rows[0].at).toMatch(/11-24 09:00$/)
  expect(render('/components/timeline/timeline', { items: [] }).dom.textContent).toContain('暂无记录')
})

test('state-view shows the error and fires retry', async () => {
  const v = render('/components/state-view/state-view', { state: 'error', message: '网络连接失败，请检查网络后重试' })
  expect(v.dom.textContent).toContain('网络连接失败')
  const retried = jest.fn()
  v.addEventListener('retry', retried)
  await fire(v, '.retry', 'tap')
  expect(retried).toHaveBeenCalled()
})

test('qr-code draws the matrix of its value', () => {
  const m = matrix('ZL7K3Q')
  expect(m.length).toBe(21) // version 1
  const q = render('/components/qr-code/qr-code', { value: 'ZL7K3Q', size: 420 })
  expect(q.instance.data.rows.length).toBe(21)
  expect(q.instance.data.cell).toBe(20)
  expect(q.dom.querySelectorAll('.main--dark').length).toBe(m.flat().filter(Boolean).length)
})

// The booking QR of a session's booking, as the vendored qrcode-generator 1.5.2
// drew it before the npm package (2.0.4) replaced it: the same modules, so a
// printed or cached code still scans to the same payload.
test('qr matrix of a booking payload is unchanged', () => {
  const drawn = matrix('ZLBK:123:ABC123').map((r) => r.map((d) => (d ? '#' : '.')).join(''))
  expect(drawn).toEqual([
    '#######..##..###..#######',
    '#.....#..#..#####.#.....#',
    '#.###.#.##.###.#..#.###.#',
    '#.###.#.#####.##..#.###.#',
    '#.###.#.#...#..##.#.###.#',
    '#.....#.##.#......#.....#',
    '#######.#.#.#.#.#.#######',
    '........###...#.#........',
    '#.#####..###......#####..',
    '.#..##..########..##.#..#',
    '..#.######..#####.#.#####',
    '#...#..##.##.#...##.#...#',
    '.#.####..##.#.########.#.',
    '##...#....#.......#..##.#',
    '#.######.####..#..###.###',
    '#.#.#......#..#......#...',
    '#....###.###...######.#..',
    '........##..###.#...#####',
    '#######......##.#.#.#####',
    '#.....#.##..##.##...##.#.',
    '#.###.#.#.#.#.#######.##.',
    '#.###.#.#.#......#####..#',
    '#.###.#.#####..#..#.....#',
    '#.....#....#..#.#.#.##..#',
    '#######.####...#.#....###',
  ])
})

test('qr-code takes qrcode-generator from npm (node_modules under jest, miniprogram_npm in DevTools)', () => {
  expect(require.resolve('qrcode-generator')).toMatch(/node_modules[\\/]qrcode-generator[\\/]dist[\\/]qrcode\.js$/)
  // the package's exports do not list package.json: read it next to dist/
  const installed = JSON.parse(require('fs').readFileSync(require('path').join(require.resolve('qrcode-generator'), '..', '..', 'package.json'), 'utf8'))
  expect(installed.version).toBe(require('../package.json').dependencies['qrcode-generator'])
})

test('privacy-popup answers WeChat\'s consent request', async () => {
  const popup = render('/components/privacy-popup/privacy-popup')
  const resolve = jest.fn()
  privacy.onNeed(resolve)
  expect(popup.instance.data.show).toBe(true)
  await fire(popup, '#privacy-agree', 'agreeprivacyauthorization')
  expect(resolve).toHaveBeenCalledWith({ event: 'agree' })
  expect(popup.instance.data.show).toBe(false)
  privacy.onNeed(resolve)
  await fire(popup, '#privacy-disagree', 'tap')
  expect(resolve).toHaveBeenLastCalledWith({ event: 'disagree' })
  expect(wxState().toasts).toEqual([])
})

test('action forms: the bodies of the actions the server offers', () => {
  expect(forms.ALLOWED).toBeUndefined() // which actions an item offers is the server's answer (action_items)
  expect(forms.buildBody('resolve', { result: '已修复', image_ids: [3, '4'] })).toEqual({ body: { result: '已修复', image_ids: [3, 4] } })
  expect(forms.buildBody('respond', { result: '已答复', image_ids: [] })).toEqual({ body: { result: '已答复' } })
  expect(forms.buildBody('reject', {})).toEqual({ error: '请填写不予受理理由' })
  expect(forms.buildBody('reject', { reason: ' 重复 ', duplicate_of: '12' })).toEqual({ body: { reason: '重复', duplicate_of: 12 } })
  expect(forms.buildBody('assign', { account_id: 'x' })).toEqual({ error: '经办人不正确' })
  expect(forms.buildBody('progress', { note: '已现场查看' })).toEqual({ body: { note: '已现场查看', public: false } })
  expect(forms.buildBody('invite', { department_id: 9, message: '请协办', due_date: '2026-12-01' })).toEqual({ body: { department_id: 9, message: '请协办', due_date: '2026-12-01' } })
  expect(forms.buildBody('resume', {})).toEqual({ body: {} })
})

test('org tree helpers, formatting and scanned codes', () => {
  const tree = [{ id: 1, kind: 'city', name: '佛山市', children: [{ id: 2, kind: 'district', name: '禅城区', children: [
    { id: 3, kind: 'town', name: '祖庙街道', children: [{ id: 4, kind: 'community', name: '兆祥社区' }, { id: 5, kind: 'community', name: '旧社区', active: false }] },
    { id: 6, kind: 'town', name: '空街道', children: [] },
    { id: 7, kind: 'department', name: '人社局' },
  ] }] }]
  const towns = orgs.townsWithCommunities(tree)
  expect(towns).toEqual([{ id: 3, name: '祖庙街道', label: '禅城区 祖庙街道', communities: [{ id: 4, name: '兆祥社区' }] }])
  expect(orgs.locate(towns, 4)).toEqual([0, 0])
  expect(orgs.flatten(tree, ['department'])).toEqual([{ id: 7, name: '人社局', kind: 'department', label: '禅城区 / 人社局' }])

  // transfer reach (under the caller's parent) and invitable departments (the item's district or the city)
  const city = [{ id: 1, kind: 'city', name: '佛山市', children: [
    { id: 2, kind: 'district', name: '禅城区', children: [
      { id: 3, kind: 'town', name: '祖庙街道', children: [{ id: 4, kind: 'community', name: '兆祥社区' }] },
      { id: 8, kind: 'town', name: '石湾镇街道', children: [{ id: 9, kind: 'community', name: '石湾社区' }] },
      { id: 7, kind: 'department', name: '人社局' },
    ] },
    { id: 10, kind: 'district', name: '南海区', children: [{ id: 11, kind: 'town', name: '桂城街道' }, { id: 12, kind: 'department', name: '农业农村局' }] },
    { id: 13, kind: 'department', name: '自然资源局' },
  ] }]
  expect(orgs.transferTargets(city, 3, 3).map((o) => o.id)).toEqual([4, 8, 9])
  expect(orgs.transferTargets(city, 4, 4).map((o) => o.label)).toEqual(['祖庙街道'])
  expect(orgs.transferTargets(city, 1, 3).map((o) => o.id)).toEqual([4, 8, 9, 11])
  expect(orgs.transferTargets(city, 99, 3)).toEqual([])
  expect(orgs.invitableDepartments(city, 3).map((o) => o.label)).toEqual(['佛山市 / 自然资源局', '禅城区 / 人社局'])
  expect(orgs.invitableDepartments(city, 11).map((o) => o.id)).toEqual([13, 12])
  expect(orgs.names(city)[8]).toBe('石湾镇街道')
  expect(format.percent(0.965)).toBe('96.5%')
  expect(format.clock('2026-11-24T01:30:00Z')).toBe('09:30')
  expect(format.distance(149.6)).toBe('150 米')
  expect(format.distance(3940)).toBe('3.9 公里')
  expect(format.distance(null)).toBe('')
  expect(format.weekday('2026-12-01')).toBe('周二')
  expect(format.weekday('2026-11-29')).toBe('周日')
})
