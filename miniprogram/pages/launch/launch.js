// First open: privacy consent (if WeChat says it is still needed), then
// wx.login → POST /auth/wechat, then the profile (first time) or home.
const page = require('../../behaviors/page')
const api = require('../../utils/api')
const profile = require('../../services/profile')
const session = require('../../utils/session')
const privacy = require('../../utils/privacy')
const prefs = require('../../utils/prefs')
const routes = require('../../utils/routes')
const config = require('../../config')

Component({
  behaviors: [page],
  data: { stage: 'start', message: '' },
  methods: {
    onLoad() {
      return this.start()
    },
    start() {
      // A trial or release build without an HTTPS base URL stops here, loudly.
      const problem = config.problem()
      if (problem) {
        this.setData({ stage: 'misconfigured', message: problem })
        return Promise.resolve()
      }
      if (session.mode() === 'staff' && session.token()) {
        wx.reLaunch({ url: routes.inbox })
        return Promise.resolve()
      }
      return privacy.needsConsent().then((need) => {
        if (need) {
          this.setData({ stage: 'consent' })
          return undefined
        }
        return this.signIn()
      })
    },
    onAgree() {
      return this.signIn()
    },
    onDisagree() {
      this.setData({ stage: 'declined' })
    },
    openContract() {
      if (typeof wx.openPrivacyContract === 'function') wx.openPrivacyContract({})
    },
    signIn() {
      this.setData({ stage: 'signing', message: '' })
      return profile
        .residentLogin()
        .then((data) => {
          const r = data.resident
          if (r.elder_mode) prefs.setElder(true)
          wx.reLaunch({ url: r.profile_complete ? routes.home : `${routes.profile}?first=1` })
        })
        .catch((err) => {
          this.setData({ stage: 'error', message: api.messageOf(err) })
        })
    },
    toStaff() {
      wx.navigateTo({ url: routes.staffLogin })
    },
  },
})
