// An item the resident follows ("我也遇到", or their own item was merged into
// it): GET /api/v1/my/follows/{id} — number, status, a masked excerpt, how
// many follow it, its status steps and, once closed, the masked result.
// Notifications of a followed item open this page.
const page = require('../../behaviors/page')
const api = require('../../utils/api')
const requests = require('../../services/requests')
const format = require('../../utils/format')
const ui = require('../../utils/ui')

Component({
  behaviors: [page],
  data: { id: 0, state: 'loading', message: '', item: null, busy: false },
  methods: {
    /** @param {{id?: string}} query */
    onLoad(query) {
      this.setData({ id: Number(query && query.id) || 0 })
      return this.load()
    },
    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh())
    },
    load() {
      if (!this.data.id) {
        this.setData({ state: 'error', message: '没有找到这条诉求' })
        return Promise.resolve()
      }
      this.setData({ state: 'loading' })
      return requests
        .followed(this.data.id)
        .then((d) => this.show(d))
        .catch((err) => this.setData({ state: 'error', message: api.messageOf(err) }))
    },
    show(d) {
      const steps = (d.steps || []).map((s) => ({
        key: `${s.action}-${s.at}`,
        label: format.ACTION_LABELS[s.action] || s.action,
        status: (format.REQUEST_STATUS[s.to_status] || { text: s.to_status }).text,
        when: format.time(s.at),
      }))
      this.setData({ item: Object.assign({}, d, { when: format.time(d.created_at), steps }), state: 'ready' })
    },
    unfollow() {
      this.setData({ busy: true })
      return requests
        .unfollow(this.data.id)
        .then(() => {
          this.setData({ busy: false })
          ui.success('已取消关注')
          wx.navigateBack({})
        })
        .catch((err) => {
          this.setData({ busy: false })
          ui.toastError(err)
        })
    },
  },
})
