// Change the staff password (POST /api/v1/auth/password); required after an
// admin created the account or reset its password.
const page = require('../../../behaviors/page')
const api = require('../../../utils/api')
const profile = require('../../../services/profile')
const session = require('../../../utils/session')
const ui = require('../../../utils/ui')
const routes = require('../../../utils/routes')

Component({
  behaviors: [page],
  data: { forced: false, oldPassword: '', newPassword: '', confirm: '', message: '', busy: false },
  methods: {
    /** @param {{forced?: string}} [query] */
    onLoad(query) {
      const acc = session.account()
      this.setData({ forced: !!((query && query.forced === '1') || (acc && acc.must_change_password)) })
    },
    onInput(e) {
      this.setData({ [e.currentTarget.dataset.field]: e.detail.value, message: '' })
    },
    check() {
      const d = this.data
      if (!d.oldPassword || !d.newPassword) return '请填写原密码和新密码'
      if (d.newPassword.length < 8) return '新密码至少8位'
      if (d.newPassword.length > 72) return '新密码不能超过72位'
      if (d.newPassword !== d.confirm) return '两次输入的新密码不一致'
      if (d.newPassword === d.oldPassword) return '新密码不能与原密码相同'
      return ''
    },
    submit() {
      const problem = this.check()
      if (problem) {
        this.setData({ message: problem })
        return Promise.resolve()
      }
      this.setData({ busy: true })
      return profile
        .changePassword(this.data.oldPassword, this.data.newPassword)
        .then((acc) => {
          session.setAccount(acc)
          this.setData({ busy: false, oldPassword: '', newPassword: '', confirm: '' })
          ui.success('密码已修改')
          wx.reLaunch({ url: routes.inbox })
        })
        .catch((err) => this.setData({ busy: false, message: api.messageOf(err) }))
    },
  },
})
