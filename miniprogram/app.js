// 直联 Zhilian mini-program. Pages are Component()s (testable with
// miniprogram-simulate) and share state through utils/, not getApp().
const privacy = require('./utils/privacy')
const config = require('./config')
const routes = require('./utils/routes')
const appConfig = require('./services/config')

App({
  onLaunch() {
    privacy.install()
    // A trial or release build without an HTTPS base URL must not start
    // talking to anything: the launch page shows why, whatever page was opened.
    const problem = config.problem()
    if (problem) {
      console.error(`直联: ${problem}`)
      wx.reLaunch({ url: routes.launch })
      return
    }
    appConfig.load()
  },
})
