// My requests: newest first, cursor pagination (GET /api/v1/my/requests);
// above them, the items I follow with their status (GET /api/v1/my/follows).
const page = require('../../behaviors/page')
const api = require('../../utils/api')
const reference = require('../../services/reference')
const requests = require('../../services/requests')
const format = require('../../utils/format')
const ui = require('../../utils/ui')
const routes = require('../../utils/routes')

Component({
  behaviors: [page],
  data: { state: 'loading', message: '', items: [], follows: [], categoryNames: {}, cursor: '', more: false, loadingMore: false },
  methods: {
    onLoad() {
      return this.load()
    },
    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh())
    },
    onReachBottom() {
      return this.more()
    },
    /** @param {any[]} items */
    decorate(items) {
      const names = this.data.categoryNames
      return items.map((x) => Object.assign({}, x, { when: format.time(x.created_at), category: names[x.category_id] || '' }))
    },
    load() {
      this.setData({ state: 'loading' })
      // Requests carry category_id only; the names come from the public list
      // (a failure there just leaves the names out).
      const cats = reference.categories().then((items) => ({ items })).catch(() => ({ items: [] }))
      const follows = requests.follows({ page_size: 50 }).catch(() => ({ items: [] }))
      return Promise.all([requests.mine({ page_size: 20 }), cats, follows])
        .then(([d, c, f]) => {
          /** @type {Record<string, string>} */
          const categoryNames = {}
          ;(c.items || []).forEach((x) => {
            categoryNames[x.id] = x.name
          })
          this.setData({ categoryNames })
          this.setData({ follows: (f.items || []).map((x) => Object.assign({}, x, { when: format.time(x.created_at), category: categoryNames[x.category_id] || '' })) })
          const items = this.decorate(d.items || [])
          this.setData({ items, cursor: d.next_cursor || '', more: !!d.next_cursor, state: items.length ? 'ready' : 'empty', message: items.length ? '' : '还没有诉求：有事直接说，街道会在时限内受理' })
        })
        .catch((err) => this.setData({ state: 'error', message: api.messageOf(err) }))
    },
    /** The empty list's next step. */
    goSubmit() {
      wx.navigateTo({ url: routes.submit })
    },
    more() {
      if (!this.data.more || this.data.loadingMore) return Promise.resolve()
      this.setData({ loadingMore: true })
      return requests
        .mine({ page_size: 20, cursor: this.data.cursor })
        .then((d) => this.setData({ items: this.data.items.concat(this.decorate(d.items || [])), cursor: d.next_cursor || '', more: !!d.next_cursor, loadingMore: false }))
        .catch((err) => {
          this.setData({ loadingMore: false })
          ui.toastError(err)
        })
    },
    open(e) {
      wx.navigateTo({ url: `${routes.request}?id=${e.currentTarget.dataset.id}` })
    },
    openFollow(e) {
      wx.navigateTo({ url: `${routes.follow}?id=${e.currentTarget.dataset.id}` })
    },
    toSubmit() {
      wx.navigateTo({ url: routes.submit })
    },
  },
})
