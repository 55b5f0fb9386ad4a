// Every page of app.json renders without errors as a resident and as staff,
// in normal and in elder mode, with its load lifecycle run against the real
// server (pages whose API is not on this branch yet show their error state).
const fs = require('fs')
const path = require('path')
const { ROOT, render, call, staffToken, elderClass, wxState } = require('./helpers/mp')
const session = require('../utils/session')
const prefs = require('../utils/prefs')

const pages = JSON.parse(fs.readFileSync(path.join(ROOT, 'app.json'), 'utf8')).pages
const logins = {}

beforeAll(async () => {
  const r = await call('POST', '/auth/wechat', { code: 'mp-render' })
  logins.resident = r.body.data
  logins.staff = await staffToken('zumiao_cadre', 'Demo2026zl')
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
    if (inst.onLoad) await inst.onLoad({ id: '1' })
    if (inst.onShow) await inst.onShow()
    await new Promise((r) => setTimeout(r, 10))

    expect(comp.dom.firstElementChild.className).toMatch(/(^|\s)main--page(\s|$)/)
    // loading finished: the page shows its content, its empty state or a readable error
    // (unless it sent the user elsewhere, e.g. a resident opening a cadre page)
    const left = wxState().nav.some((n) => n.type === 'reLaunch')
    if ('state' in inst.data && !left) expect(inst.data.state).not.toBe('loading')
    if (inst.data.state === 'error') expect(inst.data.message).toMatch(/[\u4e00-\u9fa5]/)
    expect(elderClass(comp)).toBe(elder)
    expect(errors).not.toHaveBeenCalled()
  } finally {
    errors.mockRestore()
  }
})
