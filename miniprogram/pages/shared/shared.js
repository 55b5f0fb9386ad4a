// A request a resident shared (pages/shared/shared?token=…): what anybody may
// see of it — number, category, community, status, a masked excerpt, how
// many neighbours met it too, the masked result and the status steps. Never
// a name, phone, address or photo: the server answers only the public view
// (GET /public/requests/{token}), no sign-in needed. A withdrawn request, or
// one whose resident erased their account, is no longer shown.
const page = require('../../behaviors/page')
const api = require('../../utils/api')
const requests = require('../../services/requests')
const format = require('../../utils/format')
const routes = require('../../utils/routes')

Component({
  behaviors: [page],
  data: { token: '', state: 'loading', message: '', item: null, created: '', closed: '' },
  methods: {
    /** @param {{token?: string}} [query] */
    onLoad(query) {
      this.setData({ token: (query && query.token) || '' })
      return this.load()
    },
    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh())
    },
    load() {
      if (!this.data.token) {
        this.setData({ state: 'empty', message: '分享的链接不完整' })
        return Promise.resolve()
      }
      this.setData({ state: 'loading' })
      return requests
        .shared(this.data.token)
        .then((item) =>
          this.setData({ state: 'ready', item, created: format.time(item.created_at), closed: item.closed_at ? format.time(item.closed_at) : '' }),
        )
        .catch((err) => {
          if (err && err.status === 404) this.setData({ state: 'empty', message: '这条诉求已撤回或不再公开' })
          else this.setData({ state: 'error', message: api.messageOf(err) })
        })
    },
    /** Anybody who opens a shared request may raise their own. */
    goHome() {
      wx.reLaunch({ url: routes.launch })
    },
    onShareAppMessage() {
      const it = this.data.item
      return { title: it ? `${it.category_name} · ${it.status_label}` : '直联 · 邻里诉求', path: `${routes.shared}?token=${this.data.token}` }
    },
  },
})
