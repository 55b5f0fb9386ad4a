// Cadre inbox: the items of my jurisdiction (GET /api/v1/work/requests),
// filtered by mine / unassigned / overdue and by status; entries to the
// other cadre pages.
const page = require('../../../behaviors/page')
const api = require('../../../utils/api')
const session = require('../../../utils/session')
const format = require('../../../utils/format')
const ui = require('../../../utils/ui')
const routes = require('../../../utils/routes')

const FILTERS = [
  { key: 'all', label: '全部', query: {} },
  { key: 'mine', label: '我的', query: { assignee: 'me' } },
  { key: 'unassigned', label: '未分配', query: { assignee: 'none' } },
  { key: 'overdue', label: '超期', query: { overdue: 1 } },
]
const STATUSES = ['', 'submitted', 'accepted', 'long_term', 'resolved', 'responded', 'rejected', 'withdrawn']

Component({
  behaviors: [page],
  data: {
    account: null,
    filters: FILTERS.map((f) => ({ key: f.key, label: f.label })),
    filter: 'all',
    statusNames: STATUSES.map((s) => (s ? format.REQUEST_STATUS[s].text : '全部状态')),
    statusIndex: 0,
    state: 'loading',
    message: '',
    items: [],
    cursor: '',
    more: false,
  },
  methods: {
    onLoad() {
      if (!session.token() || session.mode() !== 'staff') {
        wx.reLaunch({ url: routes.staffLogin })
        return Promise.resolve()
      }
      this.setData({ account: session.account() })
      return this.load()
    },
    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh())
    },
    onReachBottom() {
      return this.load(true)
    },
    query(cursor) {
      const f = FILTERS.find((x) => x.key === this.data.filter) || FILTERS[0]
      return Object.assign({ page_size: 20, status: STATUSES[this.data.statusIndex], cursor }, f.query)
    },
    /** @param {boolean} [more] */
    load(more) {
      if (more && !this.data.more) return Promise.resolve()
      if (!more) this.setData({ state: 'loading' })
      return api
        .get('/work/requests', this.query(more ? this.data.cursor : ''))
        .then((d) => {
          const got = (d.items || []).map((x) => Object.assign({}, x, { when: format.time(x.created_at), due: format.time(x.resolve_due_at) }))
          const items = more ? this.data.items.concat(got) : got
          this.setData({ items, cursor: d.next_cursor || '', more: !!d.next_cursor, state: items.length ? 'ready' : 'empty', message: items.length ? '' : '没有符合条件的诉求' })
        })
        .catch((err) => {
          if (more) ui.toastError(err)
          else this.setData({ state: 'error', message: api.messageOf(err) })
        })
    },
    setFilter(e) {
      this.setData({ filter: e.currentTarget.dataset.key })
      return this.load()
    },
    onStatus(e) {
      this.setData({ statusIndex: Number(e.detail.value) })
      return this.load()
    },
    open(e) {
      wx.navigateTo({ url: `${routes.item}?id=${e.currentTarget.dataset.id}` })
    },
    go(e) {
      wx.navigateTo({ url: routes[e.currentTarget.dataset.to] })
    },
    logout() {
      const done = () => {
        session.clear()
        wx.reLaunch({ url: routes.staffLogin })
      }
      return api.post('/auth/logout', {}).then(done, done)
    },
  },
})
