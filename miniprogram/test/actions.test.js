// The other cadre actions through the item page against the real server:
// reject with a reason, park with a plan and a review date, resume, transfer
// to a sibling town. Each item is also open on a second, stale screen: its
// action is refused with the server's readable message and that screen then
// shows the item as it now is.
const { render, waitFor, fire, tap, text, call, orgId, asCadre, cadre, wxState } = require('./helpers/mp')
const { resident, must } = require('./helpers/city')
const routes = require('../utils/routes')

const STAMP = Date.now().toString(36)
let owner
let community = 0

function inDays(n) {
  return new Date(Date.now() + 8 * 3600 * 1000 + n * 86400000).toISOString().slice(0, 10)
}

async function submitted(content) {
  return must(await call('POST', '/my/requests', { category_id: 1, content: `${content}（${STAMP}）`, community_id: community }, owner.token), 'submit')
}

/** The item page and a stale second screen of the same item. */
async function screens(id) {
  asCadre()
  const open = async () => {
    const p = render(routes.item)
    await p.instance.onLoad({ id: String(id) })
    expect(p.instance.data.state).toBe('ready')
    return p
  }
  return [await open(), await open()]
}

async function act(p, action, fill) {
  await fire(p, `#action-${action}`, 'tap')
  if (fill) await fill()
  const before = wxState().toasts.length
  await fire(p, '#action-submit', 'tap')
  await waitFor(() => wxState().toasts.length > before, `the answer to ${action}`)
  return wxState().toasts[wxState().toasts.length - 1]
}

/** What the server says to the same action now, sent directly. */
async function refusal(id, action, body) {
  return call('POST', `/work/requests/${id}/${action}`, body, cadre().token)
}

const keys = (p) => p.instance.data.actions.map((a) => a.key)

beforeAll(async () => {
  owner = await resident(`mp-actions-${STAMP}`, { name: '黎先生' })
  community = await orgId('兆祥社区')
})

test('reject with a reason; the stale screen is refused readably and refreshed', async () => {
  const req = await submitted('希望小区增加一个快递柜')
  const [p, stale] = await screens(req.id)
  expect(await act(p, 'reject', () => fire(p, '#field-reason', 'input', { value: '快递柜属商业设施，请与物业协商' }))).toBe('已提交')
  expect(p.instance.data.req.status).toBe('rejected')
  expect(text(p, '#status')).toBe('不予受理')
  expect(text(p, '#result')).toBe('不予受理理由：快递柜属商业设施，请与物业协商')
  expect(p.querySelector('#actions')).toBeFalsy()

  expect(keys(stale)).toContain('accept')
  const refused = await refusal(req.id, 'accept', {})
  expect(refused.status).toBe(409)
  expect(refused.body.code).toBe('invalid_transition')
  expect(await act(stale, 'accept')).toBe(refused.body.msg)
  expect(refused.body.msg).toMatch(/^当前状态（.+）不能/)
  await waitFor(() => stale.instance.data.state === 'ready' && stale.instance.data.req.status === 'rejected', 'the refreshed stale screen')
  expect(stale.instance.data.actions).toEqual([])
  expect(stale.instance.data.action).toBe('')

  const seen = must(await call('GET', `/my/requests/${req.id}`, undefined, owner.token), 'request')
  expect(seen).toMatchObject({ status: 'rejected', result: '快递柜属商业设施，请与物业协商' })
})

test('park with a plan and a review date, then resume; stale screens are refused readably and refreshed', async () => {
  const req = await submitted('社区卫生站夜间无人值班')
  const [p, stale] = await screens(req.id)
  expect(await act(p, 'accept')).toBe('已提交')
  await stale.instance.load()
  expect(keys(stale)).toContain('park')

  // a review date not after today is refused by the server, readably
  expect(
    await act(p, 'park', async () => {
      await fire(p, '#field-plan', 'input', { value: '纳入明年卫生站排班调整' })
      await fire(p, '#field-review_date', 'change', { value: inDays(0) })
    })
  ).toBe('下次复核日期须晚于今天')
  expect(p.instance.data.req.status).toBe('accepted')
  await fire(p, '#field-review_date', 'change', { value: inDays(30) })
  const before = wxState().toasts.length
  await fire(p, '#action-submit', 'tap')
  await waitFor(() => wxState().toasts.length > before, 'the parked item')
  expect(wxState().toasts.pop()).toBe('已提交')
  expect(p.instance.data.req.status).toBe('long_term')
  expect(text(p, '#status')).toBe('长期跟进')
  expect(text(p, '#due')).toBe(`复核期限：${inDays(30)}`)
  // the buttons are the server's answer (the state machine allows inviting a department on a long-term item too)
  const offered = must(await call('GET', `/work/requests/${req.id}`, undefined, cadre().token), 'item').actions
  expect(keys(p)).toEqual(offered)
  expect(keys(p)).toEqual(['progress', 'invite', 'resolve', 'respond', 'resume', 'transfer', 'assign'])
  expect(text(p, '#timeline')).toContain('纳入明年卫生站排班调整')

  const refusedPark = await refusal(req.id, 'park', { plan: '再挂一次', review_date: inDays(10) })
  expect(refusedPark.status).toBe(409)
  expect(
    await act(stale, 'park', async () => {
      await fire(stale, '#field-plan', 'input', { value: '再挂一次' })
      await fire(stale, '#field-review_date', 'change', { value: inDays(10) })
    })
  ).toBe(refusedPark.body.msg)
  await waitFor(() => stale.instance.data.state === 'ready' && stale.instance.data.req.status === 'long_term', 'the refreshed stale screen')
  expect(keys(stale)).toContain('resume')

  expect(await act(p, 'resume')).toBe('已提交')
  expect(p.instance.data.req.status).toBe('accepted')
  expect(text(p, '#due')).toMatch(/^办结时限：/)
  expect(keys(p)).toContain('park')

  const refusedResume = await refusal(req.id, 'resume', {})
  expect(refusedResume.status).toBe(409)
  expect(await act(stale, 'resume')).toBe(refusedResume.body.msg)
  await waitFor(() => stale.instance.data.state === 'ready' && stale.instance.data.req.status === 'accepted', 'the refreshed stale screen')
  expect(keys(stale)).not.toContain('resume')
})

test('transfer to a sibling town of the district; the item leaves the jurisdiction and the stale screen says so', async () => {
  const req = await submitted('石湾片区的公交站牌被撞歪了')
  const [p, stale] = await screens(req.id)
  await fire(p, '#action-transfer', 'tap')
  const names = p.instance.data.orgNames
  // towns and communities of 禅城区, not the town handling it, not other districts
  expect(names).toContain('禅城区 / 石湾镇街道')
  expect(names).not.toContain('禅城区')
  expect(names.some((n) => n === '禅城区 / 祖庙街道')).toBe(false)
  expect(names.every((n) => n.startsWith('禅城区 / '))).toBe(true)

  // the note is required
  await fire(p, '#field-org_id', 'change', { value: names.indexOf('禅城区 / 石湾镇街道') })
  await tap(p, '#action-submit')
  expect(wxState().toasts.pop()).toBe('请填写说明')
  await fire(p, '#field-note', 'input', { value: '事发地在石湾镇街道辖区' })
  const before = wxState().toasts.length
  await fire(p, '#action-submit', 'tap')
  await waitFor(() => wxState().toasts.length > before, 'the transfer')
  expect(wxState().toasts.pop()).toBe('已提交')
  // still submitted, now handled by 石湾镇街道: no longer ours to act on
  expect(p.instance.data.req.status).toBe('submitted')
  expect(text(p, '#handler')).toBe('承办：石湾镇街道')
  expect(p.instance.data.actions).toEqual([])
  const shiwan = await orgId('石湾镇街道')
  expect(must(await call('GET', `/my/requests/${req.id}`, undefined, owner.token), 'request').handling_org_id).toBe(shiwan)

  // the stale screen's accept: the item is outside the jurisdiction now
  const refused = await refusal(req.id, 'accept', {})
  expect(refused.status).toBe(404)
  expect(await act(stale, 'accept')).toBe(refused.body.msg)
  await waitFor(() => stale.instance.data.state === 'error', 'the refreshed stale screen')
  expect(stale.instance.data.message).toBe(refused.body.msg)
  expect(stale.dom.textContent).toContain(refused.body.msg)
})
