// Department side of 约请: accept, decline with a reason, reply
// (GET /api/v1/work/invitations, POST …/{id}/{accept,decline,reply}).
const page = require('../../../behaviors/page')
const api = require('../../../utils/api')
const ui = require('../../../utils/ui')
const routes = require('../../../utils/routes')

Component({
  behaviors: [page],
  data: { state: 'loading', message: '', items: [], openId: 0, mode: '', text: '', busy: false },
  methods: {
    onLoad() {
      return this.load()
    },
    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh())
    },
    load() {
      this.setData({ state: 'loading' })
      return api
        .get('/work/invitations', { page_size: 50 })
        .then((d) => {
          const items = d.items || []
          this.setData({ items, state: items.length ? 'ready' : 'empty', message: items.length ? '' : '暂无约请' })
        })
        .catch((err) => this.setData({ state: 'error', message: api.messageOf(err) }))
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
        ui.toast(this.data.mode === 'decline' ? '请填写拒绝理由' : '请填写回复内容')
        return Promise.resolve()
      }
      const body = this.data.mode === 'decline' ? { reason: text } : { message: text }
      return this.act(this.data.openId, this.data.mode, body)
    },
    act(id, action, body) {
      this.setData({ busy: true })
      return api
        .post(`/work/invitations/${id}/${action}`, body)
        .then(() => {
          this.setData({ busy: false, openId: 0, mode: '', text: '' })
          ui.success('已提交')
          return this.load()
        })
        .catch((err) => {
          this.setData({ busy: false })
          ui.toastError(err)
        })
    },
    openRequest(e) {
      wx.navigateTo({ url: `${routes.item}?id=${e.currentTarget.dataset.id}` })
    },
  },
})
