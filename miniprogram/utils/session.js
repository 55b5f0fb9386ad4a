// Who is signed in: the token, the mode (resident or staff) and the cached
// resident or staff account. Everything lives in wx storage so a restart of
// the mini-program keeps the user signed in.
const KEYS = {
  token: 'zl_token',
  mode: 'zl_mode',
  account: 'zl_account',
  resident: 'zl_resident',
}

/** @returns {string} */
function token() {
  return wx.getStorageSync(KEYS.token) || ''
}

/** @returns {'resident'|'staff'|''} */
function mode() {
  return wx.getStorageSync(KEYS.mode) || ''
}

/** @param {{token: string}} login @param {'resident'|'staff'} m */
function save(login, m) {
  wx.setStorageSync(KEYS.token, login.token)
  wx.setStorageSync(KEYS.mode, m)
}

function clearToken() {
  wx.removeStorageSync(KEYS.token)
}

/** Sign out locally: token, mode and cached identities. */
function clear() {
  Object.keys(KEYS).forEach((k) => wx.removeStorageSync(KEYS[k]))
}

/** @returns {any} */
function account() {
  return wx.getStorageSync(KEYS.account) || null
}

/** @param {any} a */
function setAccount(a) {
  wx.setStorageSync(KEYS.account, a)
}

/** @returns {any} */
function resident() {
  return wx.getStorageSync(KEYS.resident) || null
}

/** @param {any} r */
function setResident(r) {
  wx.setStorageSync(KEYS.resident, r)
}

module.exports = { KEYS, token, mode, save, clearToken, clear, account, setAccount, resident, setResident }
