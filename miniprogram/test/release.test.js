// A trial or release build without an HTTPS base URL stops at start with a
// clear screen and never talks to localhost (config.js falls back to the
// local dev server only in a develop build).
const { render, wxState } = require('./helpers/mp')
const config = require('../config')
const api = require('../utils/api')
const routes = require('../utils/routes')

afterEach(() => {
  config.BASE_URLS.release = ''
  config.BASE_URLS.trial = ''
})

test.each(['release', 'trial'])('a %s build without a base URL shows why at start and sends nothing', async (env) => {
  wxState().envVersion = env
  wx.removeStorageSync(config.BASE_URL_KEY)
  const launch = render(routes.launch)
  await launch.instance.onLoad()
  expect(launch.instance.data.stage).toBe('misconfigured')
  const screen = launch.querySelector('#misconfigured').dom.textContent
  expect(screen).toContain('无法启动')
  expect(screen).toContain(`BASE_URLS.${env}`)
  expect(launch.querySelector('#to-staff')).toBeFalsy()
  expect(wxState().requests).toEqual([])
  expect(wxState().logins).toBe(0)
  // any call a page makes fails with the same sentence, and reaches nothing
  await expect(api.get('/categories')).rejects.toMatchObject({ code: 'misconfigured', status: 0 })
  expect(wxState().requests).toEqual([])
  expect(config.baseURL()).toBe('')
})

test('a release build with an http:// base URL (even from storage) is refused; https:// runs', async () => {
  wxState().envVersion = 'release'
  wx.removeStorageSync(config.BASE_URL_KEY)
  config.BASE_URLS.release = 'http://zhilian.example.gov.cn'
  expect(config.problem()).toMatch(/必须是 HTTPS/)
  config.BASE_URLS.release = 'https://zhilian.example.gov.cn/'
  expect(config.problem()).toBe('')
  expect(config.baseURL()).toBe('https://zhilian.example.gov.cn')
  wx.setStorageSync(config.BASE_URL_KEY, 'http://127.0.0.1:8080')
  expect(config.problem()).toMatch(/必须是 HTTPS：http:\/\/127\.0\.0\.1:8080/)
})

test('a develop build still falls back to the local server', () => {
  wx.removeStorageSync(config.BASE_URL_KEY)
  expect(config.problem()).toBe('')
  expect(config.baseURL()).toBe(config.DEFAULT_BASE_URL)
})
