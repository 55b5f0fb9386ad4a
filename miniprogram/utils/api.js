// The ONE client of the 直联 API. Pages call get/post/put/upload and get the
// envelope's `data` back, or an ApiError whose `msg` is a sentence a resident
// or cadre can read (the server's own message whenever it sent one).
//
// - base URL from config.js; `Authorization: Bearer <token>` from storage;
// - envelope `{"code":"ok","data":…}` unwrapped; errors
//   `{"code","msg","request_id"}` become ApiError;
// - 401 on a signed-in call: the token is dropped; a resident is signed in
//   again with wx.login and the call retried once; staff go to the staff login;
// - 403 password_change_required: staff go to the password page;
// - POSTs may carry an Idempotency-Key so a retry does not duplicate.
const config = require('../config')
const session = require('./session')
const routes = require('./routes')

const API_PREFIX = '/api/v1'
const TIMEOUT_MS = 15000

const FALLBACK = {
  network: '网络连接失败，请检查网络后重试',
  timeout: '网络超时，请稍后重试',
  badResponse: '服务返回了无法识别的内容，请稍后重试',
  401: '登录已失效，请重新登录',
  403: '没有权限进行此操作',
  404: '内容不存在或已被删除',
  409: '当前状态下不能这样操作，请刷新后重试',
  413: '内容或文件过大',
  429: '操作过于频繁，请稍后再试',
  5: '服务暂时不可用，请稍后重试',
}

class ApiError extends Error {
  /**
   * @param {string} code machine code (server's, or network/bad_response)
   * @param {string} msg readable Chinese message
   * @param {number} status HTTP status, 0 when the server was not reached
   * @param {string} [requestId]
   */
  constructor(code, msg, status, requestId) {
    super(msg)
    this.code = code
    this.msg = msg
    this.status = status
    this.requestId = requestId || ''
  }
}

/** A readable message for an HTTP error without a usable body. */
function fallbackMessage(status) {
  if (FALLBACK[status]) return FALLBACK[status]
  if (status >= 500) return FALLBACK[5]
  return `请求失败（${status}），请稍后重试`
}

/** A readable message for any error a page may catch. */
function messageOf(err) {
  if (err && typeof err.msg === 'string' && err.msg) return err.msg
  return '操作失败，请稍后重试'
}

/** A fresh Idempotency-Key (one per draft / per booking attempt). */
function newIdempotencyKey() {
  const rnd = () => Math.floor(Math.random() * 0x100000000).toString(16).padStart(8, '0')
  return `${Date.now().toString(16)}-${rnd()}${rnd()}${rnd()}`
}

/** @param {Record<string, any>} [query] */
function queryString(query) {
  if (!query) return ''
  const parts = []
  Object.keys(query).forEach((k) => {
    const v = query[k]
    if (v === undefined || v === null || v === '') return
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
  })
  return parts.length ? `?${parts.join('&')}` : ''
}

/** Turns a status code and a (parsed) body into data or an ApiError. */
function unwrap(statusCode, body) {
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body)
    } catch (e) {
      body = null
    }
  }
  if (statusCode >= 200 && statusCode < 300) {
    if (body && body.code === 'ok') return { ok: true, data: body.data }
    return { ok: false, error: new ApiError('bad_response', FALLBACK.badResponse, statusCode) }
  }
  const code = (body && body.code) || `http_${statusCode}`
  const msg = (body && typeof body.msg === 'string' && body.msg) || fallbackMessage(statusCode)
  return { ok: false, error: new ApiError(code, msg, statusCode, body && body.request_id) }
}

function networkError(err) {
  const text = (err && err.errMsg) || ''
  if (/timeout/i.test(text)) return new ApiError('timeout', FALLBACK.timeout, 0)
  return new ApiError('network', FALLBACK.network, 0)
}

/** @returns {Promise<{statusCode: number, data: any}>} */
function rawRequest(method, url, data, header) {
  return new Promise((resolve, reject) => {
    wx.request({
      url,
      method,
      data: method === 'GET' ? undefined : data || {},
      header,
      timeout: TIMEOUT_MS,
      success: (res) => resolve({ statusCode: res.statusCode, data: res.data }),
      fail: (err) => reject(networkError(err)),
    })
  })
}

/** @returns {Promise<{statusCode: number, data: any}>} */
function rawUpload(url, filePath, header, formData) {
  return new Promise((resolve, reject) => {
    wx.uploadFile({
      url,
      filePath,
      name: 'file',
      header,
      formData: formData || {},
      timeout: 60000,
      success: (res) => resolve({ statusCode: res.statusCode, data: res.data }),
      fail: (err) => reject(networkError(err)),
    })
  })
}

let relogin = null

/** wx.login → POST /auth/wechat; stores the token and the resident. */
function residentLogin() {
  if (relogin) return relogin
  relogin = new Promise((resolve, reject) => {
    wx.login({
      success: (res) => resolve(res.code),
      fail: () => reject(new ApiError('wx_login_failed', '微信登录失败，请稍后重试', 0)),
    })
  })
    .then((code) => send('POST', '/auth/wechat', { data: { code }, auth: false }))
    .then((data) => {
      session.save(data, 'resident')
      session.setResident(data.resident)
      return data
    })
  const done = () => {
    relogin = null
  }
  relogin.then(done, done)
  return relogin
}

/** POST /auth/staff; stores the token and the account. */
function staffLogin(username, password) {
  return send('POST', '/auth/staff', { data: { username, password }, auth: false }).then((data) => {
    session.save(data, 'staff')
    session.setAccount(data.account)
    return data
  })
}

/**
 * Binds the signed-in staff member's WeChat (wx.login → POST
 * /auth/wechat/bind) so staff notifications reach them; keeps the account
 * the server returns (wechat_bound true).
 */
function staffBindWechat() {
  return new Promise((resolve, reject) => {
    wx.login({
      success: (res) => resolve(res.code),
      fail: () => reject(new ApiError('wx_login_failed', '微信登录失败，请稍后重试', 0)),
    })
  })
    .then((code) => send('POST', '/auth/wechat/bind', { data: { code } }))
    .then((acc) => {
      session.setAccount(acc)
      return acc
    })
}

function currentRoute() {
  try {
    const pages = getCurrentPages()
    const top = pages[pages.length - 1]
    return top ? `/${top.route}` : ''
  } catch (e) {
    return ''
  }
}

/**
 * What to do with an error of a signed-in call.
 * @returns {Promise<any>|null} a retry, or null to reject with the error
 */
function recover(err, retry, opts) {
  if (err.status === 401 && opts.auth !== false && !opts.retried) {
    const wasMode = session.mode()
    session.clearToken()
    if (wasMode === 'resident') {
      return residentLogin().then(() => retry())
    }
    if (wasMode === 'staff') {
      session.clear()
      wx.reLaunch({ url: routes.staffLogin })
    }
    return null
  }
  if (err.code === 'password_change_required' && currentRoute() !== routes.password) {
    wx.navigateTo({ url: routes.password })
  }
  return null
}

/**
 * @param {string} method
 * @param {string} path below /api/v1, e.g. '/my/requests'
 * @param {{data?: any, query?: Record<string, any>, idempotencyKey?: string, auth?: boolean, retried?: boolean}} [opts]
 * @returns {Promise<any>} the envelope's data
 */
function send(method, path, opts) {
  opts = opts || {}
  /** @type {Record<string, string>} */
  const header = { 'Content-Type': 'application/json' }
  const tok = opts.auth === false ? '' : session.token()
  if (tok) header.Authorization = `Bearer ${tok}`
  if (opts.idempotencyKey) header['Idempotency-Key'] = opts.idempotencyKey
  const problem = config.problem()
  if (problem) return Promise.reject(new ApiError('misconfigured', problem, 0))
  const url = config.baseURL() + API_PREFIX + path + queryString(opts.query)
  return rawRequest(method, url, opts.data, header).then((res) => {
    const out = unwrap(res.statusCode, res.data)
    if (out.ok) return out.data
    const again = tok ? recover(out.error, () => send(method, path, Object.assign({}, opts, { retried: true })), opts) : null
    if (again) return again
    throw out.error
  })
}

/**
 * Uploads one image (POST /api/v1/uploads, multipart field `file`).
 * @param {string} filePath a local temp path from wx.chooseMedia
 * @param {{retried?: boolean}} [opts]
 * @returns {Promise<any>} the upload, e.g. {id, url}
 */
function upload(filePath, opts) {
  opts = opts || {}
  /** @type {Record<string, string>} */
  const header = {}
  const tok = session.token()
  if (tok) header.Authorization = `Bearer ${tok}`
  const problem = config.problem()
  if (problem) return Promise.reject(new ApiError('misconfigured', problem, 0))
  const url = `${config.baseURL()}${API_PREFIX}/uploads`
  return rawUpload(url, filePath, header).then((res) => {
    const out = unwrap(res.statusCode, res.data)
    if (out.ok) return out.data
    const again = tok ? recover(out.error, () => upload(filePath, { retried: true }), opts) : null
    if (again) return again
    throw out.error
  })
}

module.exports = {
  ApiError,
  API_PREFIX,
  messageOf,
  fallbackMessage,
  newIdempotencyKey,
  queryString,
  unwrap,
  residentLogin,
  staffLogin,
  staffBindWechat,
  upload,
  send,
  get: (path, query) => send('GET', path, { query }),
  post: (path, data, extra) => send('POST', path, Object.assign({ data }, extra || {})),
  put: (path, data) => send('PUT', path, { data }),
  del: (path) => send('DELETE', path, {}),
}
