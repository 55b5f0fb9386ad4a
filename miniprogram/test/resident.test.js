// Resident journeys through the real pages against the real server.
const { render, waitFor, fire, text, el, elderClass, orgId, closedURL, wxState } = require('./helpers/mp')
const session = require('../utils/session')
const prefs = require('../utils/prefs')
const routes = require('../utils/routes')

test('first open: privacy consent, then wx.login signs a new resident in and opens the profile', async () => {
  wxState().needPrivacy = true
  wxState().loginCode = 'mp-journey-nonhukou'
  const launch = render(routes.launch)
  await launch.instance.onLoad()

  expect(text(launch, '#consent')).toContain('隐私保护指引')
  expect(wxState().logins).toBe(0) // nothing before consent

  await fire(launch, '#agree', 'agreeprivacyauthorization')
  await waitFor(() => wxState().nav.length, 'navigation after sign-in')
  expect(wxState().nav).toEqual([{ type: 'reLaunch', url: `${routes.profile}?first=1` }])
  expect(wxState().logins).toBe(1)
  expect(session.mode()).toBe('resident')
  expect(session.token()).not.toBe('')
  expect(session.resident()).toMatchObject({ profile_complete: false, residency: null })
})

test('declining the privacy guide signs nobody in and can be reconsidered', async () => {
  wxState().needPrivacy = true
  const launch = render(routes.launch)
  await launch.instance.onLoad()
  await fire(launch, '#disagree', 'tap')
  expect(text(launch, '#declined')).toContain('无法使用')
  expect(wxState().logins).toBe(0)
})

test('a non-hukou resident fills the profile with a community from the real org tree', async () => {
  wxState().loginCode = 'mp-journey-profile'
  const launch = render(routes.launch)
  await launch.instance.onLoad()
  await waitFor(() => wxState().nav.length, 'sign-in')

  const profile = render(routes.profile)
  await profile.instance.onLoad({ first: '1' })
  const d = profile.instance.data
  expect(d.state).toBe('ready')
  const town = d.townNames.indexOf('禅城区 祖庙街道')
  expect(town).toBeGreaterThanOrEqual(0)

  await fire(profile, '#town-picker', 'change', { value: town })
  expect(profile.instance.data.communityNames).toContain('兆祥社区')
  await fire(profile, '#community-picker', 'change', { value: profile.instance.data.communityNames.indexOf('兆祥社区') })
  await fire(profile, '#residency', 'change', { value: 'non_hukou' })
  await fire(profile, '#name', 'input', { value: '李小梅' })
  await fire(profile, '#phone', 'input', { value: '1380013' })

  await profile.instance.save()
  expect(wxState().toasts).toEqual(['请填写11位手机号'])

  await fire(profile, '#phone', 'input', { value: '13800138000' })
  expect(profile.instance.payload()).toEqual({
    body: { name: '李小梅', phone: '13800138000', community_id: await orgId('兆祥社区'), residency: 'non_hukou', address: '', elder_mode: false },
  })
})

test('the profile form names what is missing', async () => {
  const profile = render(routes.profile)
  await profile.instance.onLoad({ first: '1' })
  await profile.instance.save()
  await fire(profile, '#town-picker', 'change', { value: 0 })
  await fire(profile, '#community-picker', 'change', { value: 0 })
  await profile.instance.save()
  await fire(profile, '#residency', 'change', { value: 'hukou' })
  await profile.instance.save()
  expect(wxState().toasts).toEqual(['请选择所在社区', '请选择户籍类型', '请填写姓名'])
  // the user refused WeChat's phone number: a hint, no request
  await profile.instance.onPhone({ detail: { errMsg: 'getPhoneNumber:fail user deny' } })
  expect(wxState().toasts[3]).toBe('未获取手机号，可以直接填写')
})

test('elder mode is switched in the profile, remembered, and enlarges every page', async () => {
  const profile = render(routes.profile)
  await profile.instance.onLoad({ first: '1' })
  expect(elderClass(profile)).toBe(false)
  await fire(profile, '#elder', 'change', { value: true })
  expect(prefs.isElder()).toBe(true)
  expect(elderClass(profile)).toBe(true)

  const login = render(routes.staffLogin) // any other page, rendered afterwards
  expect(login.instance.data.elder).toBe(true)
  expect(elderClass(login)).toBe(true)
})

test('an unreachable server shows a readable message on the first screen, and retry works', async () => {
  const good = wx.getStorageSync('zl_base_url')
  wx.setStorageSync('zl_base_url', await closedURL())
  const launch = render(routes.launch)
  await launch.instance.onLoad()
  expect(text(launch, '#error')).toContain('网络连接失败，请检查网络后重试')
  expect(wxState().nav).toEqual([])

  wx.setStorageSync('zl_base_url', good)
  await fire(launch, '#retry', 'tap')
  await waitFor(() => wxState().nav.length, 'sign-in after retry')
  expect(wxState().nav[0].type).toBe('reLaunch')
})

test('pages that need a signed-in resident send a stranger to the first screen', async () => {
  const home = render(routes.home)
  await home.instance.onLoad()
  expect(wxState().nav).toEqual([{ type: 'reLaunch', url: routes.launch }])
  expect(el(home, '.hello')).toBeTruthy()
})
