// Elder mode (适老化): larger type, simpler layout. Remembered in storage and
// sent to the server with the profile.
const ELDER_KEY = 'zl_elder_mode'

/** @returns {boolean} */
function isElder() {
  return !!wx.getStorageSync(ELDER_KEY)
}

/** @param {boolean} on */
function setElder(on) {
  wx.setStorageSync(ELDER_KEY, !!on)
}

module.exports = { ELDER_KEY, isElder, setElder }
