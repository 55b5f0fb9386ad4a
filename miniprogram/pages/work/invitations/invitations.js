// 约请 (GET /api/v1/work/invitations): a department's incoming invitations,
// which it accepts, declines with a reason, or answers
// (POST …/{id}/{accept,decline,reply}); and the invitations a town sent on
// its items (side=outgoing), with the departments' answers.
const page = require('../../../behaviors/page')
const api = require('../../../utils/api')
const work = require('../../../services/work')
const reference = require('../../../services/reference')
const session = require('../../../utils/session')
const ui = require('../../../utils/ui')
const format = require('../../../utils/format')
const routes = require('../../../utils/routes')

Component({
  behaviors: [page],
  data: { side: 'incoming', state: 'loading', message: '', items: [], openId: 0, mode: '', text: '', busy: false },
  methods: {
    onLoad() {
      // departments are invited; towns and communities invite
      const acc = session.account() || {}
      this.setData({ side: acc.org_kind && acc.org_kind !== 'department' ? 'outgoing' : 'incoming' })
      return this.load()
    },
    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh())
    },
    load() {
      this.setData({ state: 'loading' })
      const side = this.data.side
      return Promise.all([work.invitations({ side, page_size: 50 }), reference.names()])
        .then(([d, n]) => {
          // an incoming invitation says who asked (the inviting unit) and when
          const items = (d.items || []).map((v) =>
            Object.assign({}, v, { incoming: side === 'incoming', inviterOrg: n.orgNames[v.inviter_org_id] || '', asked: format.time(v.created_at) })
          )
          this.setData({ items, state: items.length ? 'ready' : 'empty', message: items.length ? '' : side === 'incoming' ? '暂无发给本部门的约请' : '暂无发出的约请：在待办诉求页点「约请」请部门协办' })
        })
        .catch((err) => this.setData({ state: 'error', message: api.messageOf(err) }))
    },
    /** The empty list's next step: the other side's invitations, or back to the inbox. */
    emptyNext() {
      if (this.data.side === 'incoming') {
        this.setData({ side: 'outgoing', openId: 0, mode: '', text: '' })
        return this.load()
      }
      wx.reLaunch({ url: routes.inbox })
      return Promise.resolve()
    },
    setSide(e) {
      this.setData({ side: e.currentTarget.dataset.side, openId: 0, mode: '', text: '' })
      return this.load()
    },
    /** Opens the decline or reply form of one invitation. */
    openForm(e) {
      this.setData({ openId: Number(e.currentTarget.dataset.id), mode: e.currentTarget.dataset.mode, text: '' })
    },
    onText(e) {
      this.setData({ text: e.detail.value })
    },
    accept(e) {
      return this.act(Number(e.currentTarget.dataset.id), 'accept', {})
    },
    sendForm() {
      const text = this.data.text.trim()
      if (!text) {
        ui.toast(this.data.mode === 'decline' ? '请填写退回理由' : '请填写答复内容')
        return Promise.resolve()
      }
      const body = this.data.mode === 'decline' ? { reason: text } : { message: text }
      return this.act(this.data.openId, this.data.mode, body)
    },
    act(id, action, body) {
      this.setData({ busy: true })
      return work
        .answerInvitation(id, action, body)
        .then(() => {
          this.setData({ busy: false, openId: 0, mode: '', text: '' })
          ui.success('已提交')
          return this.load()
        })
        .catch((err) => {
          this.setData({ busy: false })
          ui.toastError(err)
          if (err.status === 409) return this.load()
          return undefined
        })
    },
    openRequest(e) {
      wx.navigateTo({ url: `${routes.item}?id=${e.currentTarget.dataset.id}` })
    },
  },
})
