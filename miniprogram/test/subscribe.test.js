// Subscription prompts: WeChat shows them only from the synchronous part of a
// tap handler, so the wx shim throws anywhere else; the template ids come
// from the server (GET /config, ZL_WECHAT_TEMPLATES), not from config.js.
const { render, fire, tap, call, wxState, templates } = require('./helpers/mp')
const { resident, must } = require('./helpers/city')
const appConfig = require('../services/config')
const session = require('../utils/session')
const routes = require('../utils/routes')

const STAMP = Date.now().toString(36)

beforeEach(() => appConfig.reset())

test('the server hands out the template ids of each prompt; the mini-program keeps them', async () => {
  const served = must(await call('GET', '/config'), 'config')
  for (const group of ['request', 'booking', 'staff_inbox', 'staff_item']) {
    expect(served.subscribe[group].length).toBeGreaterThan(0)
    expect(served.subscribe[group].length).toBeLessThanOrEqual(3) // WeChat's limit per prompt
  }
  await appConfig.load()
  expect(appConfig.templates('booking')).toEqual(served.subscribe.booking)
  expect(require('../config').SUBSCRIBE_TEMPLATES).toBeUndefined()
})

test('asking outside a tap throws in the shim, as WeChat refuses it on a phone', async () => {
  await appConfig.load()
  await expect(appConfig.subscribe('request')).rejects.toThrow(/TAP gesture/)
  expect(wxState().subscribe).toEqual([])
  // and after an await inside a tap handler it throws too: the submit page
  // asks before its first network call
  const r = await resident(`mp-sub-${STAMP}`, { name: '孙女士' })
  session.save({ token: r.token }, 'resident')
  session.setResident(r.resident)
  const submit = render(routes.submit)
  await submit.instance.onLoad()
  await fire(submit, '#category', 'change', { value: 0 })
  await fire(submit, '#content', 'input', { value: `楼下的井盖松动了，走过会响（${STAMP}）` })
  const before = wxState().requests.length
  await tap(submit, '#submit')
  expect(wxState().subscribe).toEqual([await templates('request')])
  const after = wxState().requests.slice(before).map((q) => `${q.method} ${q.url.replace(/^.*\/api\/v1/, '')}`)
  expect(after).toEqual(['POST /my/requests'])
  expect(wxState().nav[0].url).toMatch(/^\/pages\/request\/request\?id=\d+$/)
})

test('a refused prompt changes nothing: the request is still filed', async () => {
  const r = await resident(`mp-sub-no-${STAMP}`, { name: '周先生' })
  session.save({ token: r.token }, 'resident')
  session.setResident(r.resident)
  const real = wx.requestSubscribeMessage
  wx.requestSubscribeMessage = (opts) => {
    if (!wxState().inTap) throw new Error('outside a tap')
    opts.fail({ errMsg: 'requestSubscribeMessage:fail cancel' })
  }
  try {
    const submit = render(routes.submit)
    await submit.instance.onLoad()
    await fire(submit, '#category', 'change', { value: 0 })
    await fire(submit, '#content', 'input', { value: `小区东门的路面塌陷了一块（${STAMP}）` })
    await tap(submit, '#submit')
  } finally {
    wx.requestSubscribeMessage = real
  }
  const mine = must(await call('GET', '/my/requests', undefined, r.token), 'mine').items
  expect(mine).toHaveLength(1)
})
