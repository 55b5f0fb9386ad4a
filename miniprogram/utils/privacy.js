// The privacy consent flow (用户隐私保护指引). WeChat calls the handler given
// to wx.onNeedPrivacyAuthorization when a privacy API (phone number, photos,
// location, scan) is used before the user agreed; the privacy-popup component
// on the current page then shows the guide and answers with agree/disagree.
let listener = null
let pending = null

/**
 * Registered once in app.js.
 * @param {(res: {event: 'agree'|'disagree'|'exposureAuthorization'}) => void} resolve
 */
function onNeed(resolve) {
  pending = resolve
  if (listener) listener()
}

/** The popup on screen subscribes; returns an unsubscribe function. @param {() => void} fn */
function listen(fn) {
  listener = fn
  if (pending) fn()
  return () => {
    if (listener === fn) listener = null
  }
}

/** @param {boolean} agreed */
function answer(agreed) {
  const r = pending
  pending = null
  if (r) r({ event: agreed ? 'agree' : 'disagree' })
}

/** Whether the user still has to agree (false where the API is missing). @returns {Promise<boolean>} */
function needsConsent() {
  return new Promise((resolve) => {
    if (typeof wx.getPrivacySetting !== 'function') return resolve(false)
    wx.getPrivacySetting({
      success: (res) => resolve(!!res.needAuthorization),
      fail: () => resolve(false),
    })
  })
}

function install() {
  // The typings declare the listener as (res) => void; WeChat actually calls
  // it with (resolve, eventInfo), as documented.
  if (typeof wx.onNeedPrivacyAuthorization === 'function') wx.onNeedPrivacyAuthorization(/** @type {any} */ (onNeed))
}

module.exports = { install, onNeed, listen, answer, needsConsent }
