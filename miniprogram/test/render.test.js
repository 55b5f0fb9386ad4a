// Every page of app.json renders without errors as a resident and as staff,
// in normal and in elder mode, with its load lifecycle run against the real
// server. Opened in its own mode, every page loads without an error (the
// statistics page included, as the demo cadre).
const fs = require('fs')
const path = require('path')
const { ROOT, render, call, cadre, elderClass, wxState } = require('./helpers/mp')
const { resident, must } = require('./helpers/city')
const session = require('../utils/session')
const prefs = require('../utils/prefs')

const pages = JSON.parse(fs.readFileSync(path.join(ROOT, 'app.json'), 'utf8')).pages
const RESIDENT_PAGES = ['pages/profile/profile', 'pages/home/home', 'pages/submit/submit', 'pages/requests/requests', 'pages/request/request', 'pages/points/points', 'pages/bookings/bookings']
const STAFF_PAGES = ['pages/work/inbox/inbox', 'pages/work/item/item', 'pages/work/invitations/invitations', 'pages/work/session/session', 'pages/work/stats/stats']
const logins = {}
let requestId = 0

beforeAll(async () => {
  const r = await resident('mp-render', { name: '渲染测试' })
  logins.resident = { token: r.token, resident: r.resident }
  logins.staff = cadre()
  const req = must(await call('POST', '/my/requests', { category_id: 1, content: '渲染测试用的诉求内容', community_id: r.resident.community_id }, r.token), 'submit')
  requestId = req.id
})

const cases = []
for (const mode of ['resident', 'staff']) for (const elder of [false, true]) for (const p of pages) cases.push([p, mode, elder])

test.each(cases)('%s renders as %s (elder %s)', async (p, mode, elder) => {
  const errors = jest.spyOn(console, 'error').mockImplementation(() => {})
  try {
    const login = logins[mode]
    session.save(login, mode)
    if (mode === 'staff') session.setAccount(login.account)
    else session.setResident(login.resident)
    prefs.setElder(elder)
    wxState().pages = [{ route: p }]

    const comp = render(`/${p}`)
    const inst = comp.instance
    if (inst.onLoad) await inst.onLoad({ id: String(requestId) })
    if (inst.onShow) await inst.onShow()
    await new Promise((r) => setTimeout(r, 10))

    expect(comp.dom.firstElementChild.className).toMatch(/(^|\s)main--page(\s|$)/)
    // loading finished: the page shows its content, its empty state or a readable error
    // (unless it sent the user elsewhere, e.g. a resident opening a cadre page)
    const left = wxState().nav.some((n) => n.type === 'reLaunch')
    if ('state' in inst.data && !left) expect(inst.data.state).not.toBe('loading')
    if (inst.data.state === 'error') expect(inst.data.message).toMatch(/[\u4e00-\u9fa5]/)
    const own = (mode === 'resident' ? RESIDENT_PAGES : STAFF_PAGES).indexOf(p) >= 0
    if (own) {
      expect(inst.data.state).not.toBe('error')
      ;['open', 'booking', 'point'].forEach((part) => inst.data[part] && expect(inst.data[part].state).not.toBe('error'))
      expect(wxState().toasts).toEqual([])
    }
    expect(elderClass(comp)).toBe(elder)
    expect(errors).not.toHaveBeenCalled()
  } finally {
    errors.mockRestore()
  }
})
