// The privacy guide shown when WeChat asks for consent before a privacy API
// (wx.onNeedPrivacyAuthorization, see utils/privacy.js). The "agree" button
// uses open-type="agreePrivacyAuthorization" as WeChat requires.
const privacy = require('../../utils/privacy')

/** @type {WeakMap<object, () => void>} */
const unlisteners = new WeakMap()

Component({
  data: { show: false },
  lifetimes: {
    attached() {
      unlisteners.set(this, privacy.listen(() => this.setData({ show: true })))
    },
    detached() {
      const off = unlisteners.get(this)
      if (off) off()
    },
  },
  methods: {
    openContract() {
      if (typeof wx.openPrivacyContract === 'function') wx.openPrivacyContract({})
    },
    onAgree() {
      this.setData({ show: false })
      privacy.answer(true)
      this.triggerEvent('agree')
    },
    onDisagree() {
      this.setData({ show: false })
      privacy.answer(false)
      this.triggerEvent('disagree')
    },
  },
})
