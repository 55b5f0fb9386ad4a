// The server's public configuration (GET /api/v1/config): the subscribe-
// message template ids of each prompt (from ZL_WECHAT_TEMPLATES on the
// server) and the version of the reference data. Loaded once per run and
// kept in storage, so a tap handler can read the template ids synchronously
// — WeChat shows the subscription dialog only when wx.requestSubscribeMessage
// is called in the synchronous part of a tap handler.
const api = require('../utils/api')

const KEY = 'zl_config'

/** @typedef {import('../types/data').Data<'getConfig'>} Config */

/** @type {Promise<Config>|null} */
let loading = null
/** This run's answer, once it came. @type {Config|null} */
let current = null

/**
 * The last configuration the server sent ({subscribe, reference_version}), or an empty one.
 * @returns {Config}
 */
function cached() {
  if (current) return current
  const c = wx.getStorageSync(KEY)
  return c && typeof c === 'object' ? c : { subscribe: { request: [], booking: [], staff_inbox: [], staff_item: [] }, reference_version: '' }
}

/**
 * Fetches the configuration once per run (again after a failure); resolves
 * with it, or with the cached one when the server cannot be reached.
 * @param {boolean} [fresh] ask the server again even if this run already did
 * @returns {Promise<Config>}
 */
function load(fresh) {
  if (loading && !fresh) return loading
  const p = api
    .get('/config')
    .then((/** @type {Config} */ c) => {
      current = c
      wx.setStorageSync(KEY, c)
      return c
    })
    .catch(() => {
      if (loading === p) loading = null
      return cached()
    })
  loading = p
  return p
}

/**
 * The template ids of a prompt: request, booking, staff_inbox, staff_item.
 * @param {string} group
 * @returns {string[]}
 */
function templates(group) {
  const ids = (cached().subscribe || {})[group]
  return Array.isArray(ids) ? ids.slice(0, 3) : []
}

/**
 * Asks for the notifications of a prompt. Call it FIRST in a tap handler,
 * before any network call; resolves when the user has answered (a refusal,
 * or no templates configured, resolves too — nothing depends on the answer).
 * @param {string} group
 * @returns {Promise<void>}
 */
function subscribe(group) {
  const ids = templates(group)
  if (!ids.length) return Promise.resolve()
  return new Promise((resolve) => {
    wx.requestSubscribeMessage({ tmplIds: ids, success: () => resolve(), fail: () => resolve() })
  })
}

/** Forgets this run's load (tests start each case afresh). */
function reset() {
  loading = null
  current = null
}

module.exports = { load, cached, templates, subscribe, reset }
