// Elder mode (适老化): larger type and controls. Remembered in storage and
// sent to the server with the profile. Until the resident chooses, it follows
// the phone's font size: a system setting above the default (17 px) turns it on.
const ELDER_KEY = 'zl_elder_mode'
const LARGE_SYSTEM_FONT = 20

/** The phone's font size setting in px (17 by default), or 0 when unknown. */
function systemFontSize() {
  try {
    if (typeof wx.getAppBaseInfo === 'function') return Number(wx.getAppBaseInfo().fontSizeSetting) || 0
  } catch (e) {
    return 0
  }
  return 0
}

/** @returns {boolean} */
function isElder() {
  const chosen = wx.getStorageSync(ELDER_KEY)
  if (chosen === true || chosen === false) return chosen
  return systemFontSize() >= LARGE_SYSTEM_FONT
}

/** @param {boolean} on */
function setElder(on) {
  wx.setStorageSync(ELDER_KEY, !!on)
}

module.exports = { ELDER_KEY, LARGE_SYSTEM_FONT, isElder, setElder, systemFontSize }
