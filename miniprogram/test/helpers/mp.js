// Loading and driving pages under miniprogram-simulate, plus direct HTTP
// calls to the test server for setting things up behind the UI's back.
const fs = require('fs')
const path = require('path')
const simulate = require('miniprogram-simulate')
const { Buffer } = require('buffer')
const http = require('http')

const ROOT = path.resolve(__dirname, '..', '..')
const ids = new Map()

// miniprogram-simulate runs a component's JS with require() and then deletes
// it from require.cache, so that a component used by two pages calls
// Component() again. Under jest that deletion does nothing: the second page
// loaded in a file would get an empty status-badge, timeline, etc. Run the
// file's source each time instead; its own require()s still go through this
// file's (jest's) registry, so utils and config stay shared with the test.
require('miniprogram-simulate/src/utils').runJs = (componentPath) => {
  const file = require.resolve(componentPath)
  const dir = path.dirname(file)
  const mod = { exports: {} }
  const localRequire = (p) => require(p.startsWith('.') ? path.resolve(dir, p) : p)
  // eslint-disable-next-line no-new-func
  new Function('require', 'module', 'exports', '__filename', '__dirname', fs.readFileSync(file, 'utf8'))(localRequire, mod, mod.exports, file, dir)
}

/** The wx shim's recorded state (see test/setup/wx.js). */
const wxState = () => global.__wxState

/** Loads a page or component once per test file; renders and attaches it. */
function render(route, props) {
  const rel = route.replace(/^\//, '')
  if (!ids.has(rel)) ids.set(rel, simulate.load(path.join(ROOT, rel), { rootPath: ROOT }))
  const comp = simulate.render(ids.get(rel), props)
  const parent = document.createElement('parent-wrapper')
  comp.attach(parent)
  return comp
}

/** Polls until fn() is truthy (requests are asynchronous). */
async function waitFor(fn, what, timeout = 10000) {
  const end = Date.now() + timeout
  for (;;) {
    const v = fn()
    if (v) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what || fn.toString()}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

function el(comp, selector) {
  const found = comp.querySelector(selector)
  if (!found) throw new Error(`no element ${selector}`)
  return found
}

/** Dispatches an event with a detail on the element matched by selector; j-component delivers it asynchronously. */
async function fire(comp, selector, type, detail) {
  el(comp, selector).dispatchEvent(type, { detail: detail || {} })
  await simulate.sleep(0)
}

/**
 * Resolves once no request or upload has been in flight for a few
 * macrotasks: the chain a tap started (calls, then their follow-ups) is done.
 */
async function settled(timeout = 15000) {
  const end = Date.now() + timeout
  let quiet = 0
  while (quiet < 3) {
    if (Date.now() > end) throw new Error('requests still in flight')
    await new Promise((r) => setTimeout(r, 5))
    quiet = wxState().inflight > 0 ? 0 : quiet + 1
  }
}

/**
 * Taps the element like a user (the wx shim allows tap-only APIs such as
 * wx.requestSubscribeMessage in the handler's synchronous part) and waits
 * until what the tap started has settled.
 */
async function tap(comp, selector) {
  await fire(comp, selector, 'tap')
  await settled()
}

/** Whether the page's root carries the elder-mode class (classes are prefixed "main--"). */
function elderClass(comp) {
  return /(^|\s)main--elder(\s|$)/.test(comp.dom.firstElementChild.className)
}

function text(comp, selector) {
  return el(comp, selector).dom.textContent.trim()
}

/** A direct JSON call to the test server: {status, body}. */
function call(method, p, body, token) {
  const url = `${process.env.ZL_TEST_BASE_URL}/api/v1${p}`
  const data = body === undefined ? null : Buffer.from(JSON.stringify(body))
  /** @type {Record<string, string>} */
  const headers = { 'Content-Type': 'application/json', 'X-Forwarded-For': global.__clientIP() }
  if (token) headers.Authorization = `Bearer ${token}`
  if (data) headers['Content-Length'] = String(data.length)
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') }))
    })
    req.on('error', reject)
    req.on('socket', (sock) => sock.unref()) // a call still in flight when a file ends does not hold its worker
    if (data) req.write(data)
    req.end()
  })
}

/** The template ids the server hands out for a subscription prompt (GET /config). */
async function templates(group) {
  const r = await call('GET', '/config')
  if (r.status !== 200) throw new Error(`config: ${r.status}`)
  return r.body.data.subscribe[group]
}

/** Signs staff in directly; returns {token, account}. */
async function staffToken(username, password) {
  const r = await call('POST', '/auth/staff', { username, password })
  if (r.status !== 200) throw new Error(`staff login ${username}: ${r.status} ${JSON.stringify(r.body)}`)
  return r.body.data
}

/**
 * The demo cadre of 祖庙街道 ({token, account}), signed in once for the whole
 * run by global-setup (the server allows 10 sign-ins a minute per username).
 * Never log this token out: a test that revokes a token signs in itself.
 */
function cadre() {
  return JSON.parse(process.env.ZL_TEST_CADRE || 'null')
}

/** Signs the shared demo cadre in locally (token, mode, account), as after the login page. */
function asCadre() {
  const session = require('../../utils/session')
  const c = cadre()
  session.save(c, 'staff')
  session.setAccount(c.account)
  return c
}

/** A community's id in the public org tree, by name. */
async function orgId(name) {
  const r = await call('GET', '/orgs?tree=1')
  let found = 0
  const walk = (n) => {
    if (n.name === name) found = n.id
    ;(n.children || []).forEach(walk)
  }
  r.body.data.items.forEach(walk)
  if (!found) throw new Error(`no org ${name}`)
  return found
}

/** Where nothing listens: a port of a closed server. */
async function closedURL() {
  const net = require('net')
  const port = await new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port
      s.close(() => resolve(p))
    })
  })
  return `http://127.0.0.1:${port}`
}

module.exports = { templates, ROOT, render, waitFor, el, fire, tap, settled, text, elderClass, call, staffToken, cadre, asCadre, orgId, closedURL, wxState }
