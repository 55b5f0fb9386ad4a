// Where the mini-program finds the 直联 API. No secrets live here: the
// mini-program only ever holds the short-lived token the server issues.
//
// The base URL is chosen, first match wins:
//   1. storage key `zl_base_url` (set it in the DevTools console:
//      wx.setStorageSync('zl_base_url', 'http://192.168.1.20:8080'));
//   2. BASE_URLS[envVersion] for the running build (develop / trial / release);
//   3. DEFAULT_BASE_URL, the local dev server (`make run`).
const DEFAULT_BASE_URL = 'http://127.0.0.1:8080'

/** @type {Record<string, string>} */
const BASE_URLS = {
  develop: DEFAULT_BASE_URL,
  trial: '',
  release: '',
}

const BASE_URL_KEY = 'zl_base_url'

// Subscribe-message template ids (from the WeChat admin console) asked for
// after a request is submitted and after a booking. Empty: nothing is asked.
const SUBSCRIBE_TEMPLATES = {
  request: /** @type {string[]} */ ([]),
  booking: /** @type {string[]} */ ([]),
}

function envVersion() {
  try {
    return wx.getAccountInfoSync().miniProgram.envVersion
  } catch (e) {
    return 'develop'
  }
}

/** The API base URL without a trailing slash. */
function baseURL() {
  let url = ''
  try {
    url = wx.getStorageSync(BASE_URL_KEY) || ''
  } catch (e) {
    url = ''
  }
  if (!url) url = BASE_URLS[envVersion()] || DEFAULT_BASE_URL
  return String(url).replace(/\/+$/, '')
}

module.exports = { DEFAULT_BASE_URL, BASE_URLS, BASE_URL_KEY, SUBSCRIBE_TEMPLATES, baseURL }
