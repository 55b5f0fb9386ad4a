// 直联 Zhilian mini-program. Pages are Component()s (testable with
// miniprogram-simulate) and share state through utils/, not getApp().
const privacy = require('./utils/privacy')

App({
  onLaunch() {
    privacy.install()
  },
})
