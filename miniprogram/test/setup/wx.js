// Replaces miniprogram-simulate's inert `wx` with a shim whose request and
// uploadFile reach the real server over HTTP, whose login returns a fixed
// code, whose storage is an in-memory Map, and which records toasts, modals
// and navigation so tests can assert what the user saw.
require('miniprogram-simulate')
const { Buffer } = require('buffer')
const fs = require('fs')
const http = require('http')
const path = require('path')

const state = {
  storage: new Map(),
  loginCode: 'mp-resident',
  logins: 0,
  needPrivacy: false,
  modalConfirm: true,
  toasts: [],
  modals: [],
  nav: [],
  requests: [],
  pages: [],
  privacyListener: null,
  // Answers of device APIs; a test sets them (null → the user cancelled).
  chooseMedia: null,
  chooseLocation: null,
  getLocation: null,
  scanCode: null,
  phoneCode: null,
  subscribe: [],
  fontSize: 17, // the phone's font size setting (wx.getAppBaseInfo().fontSizeSetting)
  previews: [],
  openedLocations: [],
  envVersion: 'develop',
  inflight: 0, // requests and uploads not answered yet
  inTap: 0, // > 0 while the synchronous part of a tap handler runs
  loginFails: false,
  // Simulated network failures, used up in order: {match, lost}. A call whose
  // URL contains `match` fails; with `lost` it reaches the server first and
  // only the response is lost (the case an Idempotency-Key is for).
  netFailures: [],
}

function reset() {
  state.storage = new Map()
  state.storage.set('zl_base_url', process.env.ZL_TEST_BASE_URL)
  state.loginCode = 'mp-resident'
  state.logins = 0
  state.needPrivacy = false
  state.modalConfirm = true
  state.toasts = []
  state.modals = []
  state.nav = []
  state.requests = []
  state.pages = []
  state.inflight = 0
  state.inTap = 0
  state.chooseMedia = null
  state.chooseLocation = null
  state.getLocation = null
  state.scanCode = null
  state.subscribe = []
  state.fontSize = 17
  state.previews = []
  state.openedLocations = []
  state.envVersion = 'develop'
  state.loginFails = false
  state.netFailures = []
}

/** The simulated failure planned for a URL (used up), or null. */
function plannedFailure(url) {
  const i = state.netFailures.findIndex((f) => url.indexOf(f.match) >= 0)
  if (i < 0) return null
  return state.netFailures.splice(i, 1)[0]
}

/** The client address this test file's calls come from (see global-setup). */
function clientIP() {
  const file = (expect.getState().testPath || '').split(/[\\/]/).pop() || ''
  let h = 0
  for (const ch of file) h = (h * 31 + ch.charCodeAt(0)) >>> 0
  return `10.${(h >> 16) & 255}.${(h >> 8) & 255}.${(h & 255) || 1}`
}

function done(opts, ok, res) {
  if (opts.__counted) {
    opts.__counted = false
    state.inflight--
  }
  const cb = ok ? opts.success : opts.fail
  if (cb) cb(res)
  if (opts.complete) opts.complete(res)
}

function httpCall(method, url, headers, body, timeout) {
  headers = Object.assign({ 'X-Forwarded-For': clientIP() }, headers)
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => resolve({ statusCode: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }))
    })
    req.on('error', reject)
    req.on('socket', (sock) => sock.unref()) // a call still in flight when a file ends does not hold its worker
    req.setTimeout(timeout || 15000, () => req.destroy(new Error('timeout')))
    if (body) req.write(body)
    req.end()
  })
}

function request(opts) {
  const method = (opts.method || 'GET').toUpperCase()
  const headers = Object.assign({}, opts.header || {})
  let body = null
  if (method !== 'GET' && opts.data !== undefined) {
    body = Buffer.from(typeof opts.data === 'string' ? opts.data : JSON.stringify(opts.data))
    headers['Content-Length'] = String(body.length)
  }
  state.requests.push({ method, url: opts.url, header: headers, data: opts.data })
  opts.__counted = true
  state.inflight++
  const failure = plannedFailure(opts.url)
  if (failure && !failure.lost) {
    setTimeout(() => done(opts, false, { errMsg: 'request:fail net::ERR_INTERNET_DISCONNECTED' }), 0)
    return { abort() {} }
  }
  httpCall(method, opts.url, headers, body, opts.timeout).then(
    (res) => {
      if (failure) {
        done(opts, false, { errMsg: 'request:fail timeout' })
        return
      }
      let data = res.text
      if (/json/.test(res.headers['content-type'] || '')) {
        try {
          data = JSON.parse(res.text)
        } catch (e) {
          data = res.text
        }
      }
      done(opts, true, { statusCode: res.statusCode, data, header: res.headers, errMsg: 'request:ok' })
    },
    (err) => done(opts, false, { errMsg: `request:fail ${err.message}` })
  )
  return { abort() {} }
}

function uploadFile(opts) {
  const boundary = `----zlmp${Date.now().toString(16)}`
  const parts = []
  Object.keys(opts.formData || {}).forEach((k) => {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${opts.formData[k]}\r\n`))
  })
  let file
  try {
    file = fs.readFileSync(opts.filePath)
  } catch (err) {
    done(opts, false, { errMsg: `uploadFile:fail ${err.message}` })
    return { abort() {} }
  }
  const ext = path.extname(opts.filePath).toLowerCase()
  const type = ext === '.png' ? 'image/png' : 'image/jpeg'
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${opts.name}"; filename="${path.basename(opts.filePath)}"\r\nContent-Type: ${type}\r\n\r\n`))
  parts.push(file, Buffer.from(`\r\n--${boundary}--\r\n`))
  const body = Buffer.concat(parts)
  const headers = Object.assign({}, opts.header || {}, { 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': String(body.length) })
  state.requests.push({ method: 'POST', url: opts.url, header: headers, data: { file: opts.filePath } })
  opts.__counted = true
  state.inflight++
  const failure = plannedFailure(opts.url)
  if (failure && !failure.lost) {
    setTimeout(() => done(opts, false, { errMsg: 'uploadFile:fail net::ERR_INTERNET_DISCONNECTED' }), 0)
    return { abort() {} }
  }
  httpCall('POST', opts.url, headers, body, opts.timeout).then(
    (res) => done(opts, !failure, failure ? { errMsg: 'uploadFile:fail timeout' } : { statusCode: res.statusCode, data: res.text, errMsg: 'uploadFile:ok' }),
    (err) => done(opts, false, { errMsg: `uploadFile:fail ${err.message}` })
  )
  return { abort() {} }
}

function navigator(type) {
  return (opts) => {
    state.nav.push({ type, url: opts && opts.url })
    done(opts || {}, true, { errMsg: `${type}:ok` })
  }
}

function device(name) {
  return (opts) => {
    const answer = state[name]
    if (answer) done(opts, true, Object.assign({ errMsg: `${name}:ok` }, typeof answer === 'function' ? answer(opts) : answer))
    else done(opts, false, { errMsg: `${name}:fail cancel` })
  }
}

// WeChat shows the subscription dialog only from a user's tap: a call after
// an await or in a .then fails on a phone ("can only be invoked by user TAP
// gesture"). j-component calls a bindtap handler from the listener it adds
// here; the shim marks the synchronous part of that call.
const exparser = require('miniprogram-exparser')
const addListener = exparser.addListenerToElement
exparser.addListenerToElement = function (node, name, fn, opts) {
  if (name !== 'tap') return addListener.call(this, node, name, fn, opts)
  return addListener.call(
    this,
    node,
    name,
    function (evt) {
      state.inTap++
      try {
        return fn.call(this, evt)
      } finally {
        state.inTap--
      }
    },
    opts
  )
}

Object.assign(global.wx, {
  request,
  uploadFile,
  login(opts) {
    state.logins++
    if (state.loginFails) done(opts, false, { errMsg: 'login:fail' })
    else done(opts, true, { code: state.loginCode, errMsg: 'login:ok' })
  },
  getStorageSync: (k) => (state.storage.has(k) ? state.storage.get(k) : ''),
  setStorageSync: (k, v) => state.storage.set(k, JSON.parse(JSON.stringify(v === undefined ? null : v))),
  removeStorageSync: (k) => state.storage.delete(k),
  clearStorageSync: () => state.storage.clear(),
  showToast(opts) {
    state.toasts.push(opts.title)
    done(opts, true, { errMsg: 'showToast:ok' })
  },
  showModal(opts) {
    state.modals.push({ title: opts.title, content: opts.content })
    done(opts, true, { confirm: state.modalConfirm, cancel: !state.modalConfirm, errMsg: 'showModal:ok' })
  },
  showLoading(opts) {
    done(opts || {}, true, {})
  },
  hideLoading(opts) {
    done(opts || {}, true, {})
  },
  navigateTo: navigator('navigateTo'),
  redirectTo: navigator('redirectTo'),
  reLaunch: navigator('reLaunch'),
  switchTab: navigator('switchTab'),
  navigateBack: navigator('navigateBack'),
  stopPullDownRefresh() {},
  getAppBaseInfo: () => ({ fontSizeSetting: state.fontSize, SDKVersion: '3.7.0', language: 'zh_CN' }),
  getAccountInfoSync: () => ({ miniProgram: { appId: 'touristappid', envVersion: state.envVersion, version: '' } }),
  getPrivacySetting(opts) {
    done(opts, true, { needAuthorization: state.needPrivacy, privacyContractName: '《直联小程序隐私保护指引》', errMsg: 'getPrivacySetting:ok' })
  },
  onNeedPrivacyAuthorization(fn) {
    state.privacyListener = fn
  },
  openPrivacyContract(opts) {
    done(opts || {}, true, {})
  },
  chooseMedia: device('chooseMedia'),
  chooseLocation: device('chooseLocation'),
  getLocation: device('getLocation'),
  scanCode: device('scanCode'),
  openLocation(opts) {
    state.openedLocations.push({ latitude: opts.latitude, longitude: opts.longitude, name: opts.name, address: opts.address })
    done(opts, true, { errMsg: 'openLocation:ok' })
  },
  previewImage(opts) {
    state.previews.push({ current: opts.current, urls: opts.urls })
    done(opts, true, { errMsg: 'previewImage:ok' })
  },
  requestSubscribeMessage(opts) {
    if (!state.inTap) throw new Error('requestSubscribeMessage:fail can only be invoked by user TAP gesture')
    state.subscribe.push(opts.tmplIds)
    done(opts, true, { errMsg: 'requestSubscribeMessage:ok' })
  },
})

global.getCurrentPages = () => state.pages
global.__wxState = state
global.__clientIP = clientIP

beforeEach(reset)
