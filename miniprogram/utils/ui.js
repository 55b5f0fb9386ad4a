// Small wrappers around wx UI calls so pages stay thin.
const api = require('./api')

/** Shows a readable message for any error a page caught. */
function toastError(err) {
  wx.showToast({ title: api.messageOf(err), icon: 'none', duration: 3000 })
}

/** @param {string} title */
function toast(title) {
  wx.showToast({ title, icon: 'none', duration: 2000 })
}

/** @param {string} title */
function success(title) {
  wx.showToast({ title, icon: 'success', duration: 1500 })
}

/**
 * @param {string} title
 * @param {string} content
 * @returns {Promise<boolean>} whether the user confirmed
 */
function confirm(title, content) {
  return new Promise((resolve) => {
    wx.showModal({
      title,
      content,
      confirmText: '确定',
      cancelText: '取消',
      success: (res) => resolve(!!res.confirm),
      fail: () => resolve(false),
    })
  })
}

module.exports = { toastError, toast, success, confirm }
