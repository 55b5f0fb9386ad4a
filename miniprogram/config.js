// Where the mini-program finds the 直联 API. No secrets live here: the
// mini-program only ever holds the short-lived token the server issues.
//
// The base URL is chosen, first match wins:
//   1. storage key `zl_base_url` (set it in the DevTools console:
//      wx.setStorageSync('zl_base_url', 'http://192.168.1.20:8080'));
//   2. BASE_URLS[envVersion] for the running build (develop / trial / release);
//   3. in a develop build only: DEFAULT_BASE_URL, the local dev server (`make run`).
// A trial or release build must have an https:// BASE_URLS entry (WeChat
// only reaches HTTPS domains listed in the admin console): without one the
// mini-program stops at start with a screen saying so (problem()), and never
// talks to localhost.
const DEFAULT_BASE_URL = 'http://127.0.0.1:8080'

/** @type {Record<string, string>} */
const BASE_URLS = {
  develop: DEFAULT_BASE_URL,
  trial: '',
  release: '',
}

const BASE_URL_KEY = 'zl_base_url'

// The subscribe-message template ids are not set here: the server serves
// them (GET /api/v1/config, from ZL_WECHAT_TEMPLATES; services/config.js).

function envVersion() {
  try {
    return wx.getAccountInfoSync().miniProgram.envVersion
  } catch (e) {
    return 'develop'
  }
}

/** The configured base URL for this build, or '' when there is none. */
function chosen() {
  let url = ''
  try {
    url = wx.getStorageSync(BASE_URL_KEY) || ''
  } catch (e) {
    url = ''
  }
  const env = envVersion()
  if (!url) url = BASE_URLS[env] || (env === 'trial' || env === 'release' ? '' : DEFAULT_BASE_URL)
  return String(url).replace(/\/+$/, '')
}

/**
 * Why this build cannot run, or '' when it can: a trial or release build
 * needs an https:// base URL.
 */
function problem() {
  const env = envVersion()
  if (env !== 'trial' && env !== 'release') return ''
  const url = chosen()
  const name = env === 'release' ? '正式版' : '体验版'
  if (!url) return `${name}未配置服务地址（config.js 中的 BASE_URLS.${env}），无法连接直联服务。请联系管理员发布正确的版本。`
  if (!/^https:\/\/[^/]+/.test(url)) return `${name}的服务地址必须是 HTTPS：${url}。请联系管理员发布正确的版本。`
  return ''
}

/** The API base URL without a trailing slash ('' when problem() says the build cannot run). */
function baseURL() {
  return problem() ? '' : chosen()
}

module.exports = { DEFAULT_BASE_URL, BASE_URLS, BASE_URL_KEY, baseURL, problem, envVersion }
