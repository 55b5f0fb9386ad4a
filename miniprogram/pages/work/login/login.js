// Staff sign-in (POST /api/v1/auth/staff). An account whose password was set
// by an admin must change it first.
const page = require('../../../behaviors/page')
const api = require('../../../utils/api')
const profile = require('../../../services/profile')
const routes = require('../../../utils/routes')
const appConfig = require('../../../services/config')

Component({
  behaviors: [page],
  data: { username: '', password: '', message: '', busy: false },
  methods: {
    onLoad() {
      return appConfig.load()
    },
    onInput(e) {
      this.setData({ [e.currentTarget.dataset.field]: e.detail.value, message: '' })
    },
    submit() {
      const username = this.data.username.trim()
      const password = this.data.password
      if (!username || !password) {
        this.setData({ message: '请输入用户名和密码' })
        return Promise.resolve()
      }
      this.setData({ busy: true, message: '' })
      // The tap that opens the inbox: the staff notifications (new item,
      // assigned, invitation) are asked for here, synchronously, before signing in.
      return appConfig
        .subscribe('staff_inbox')
        .then(() => profile.staffLogin(username, password))
        .then((d) => {
          this.setData({ busy: false, password: '' })
          if (d.account && d.account.must_change_password) wx.redirectTo({ url: `${routes.password}?forced=1` })
          else wx.reLaunch({ url: routes.inbox })
        })
        .catch((err) => this.setData({ busy: false, message: api.messageOf(err) }))
    },
    toResident() {
      wx.reLaunch({ url: routes.launch })
    },
  },
})
