// Cadre inbox: the open items of my jurisdiction by due time
// (GET /api/v1/work/requests), filtered by mine / unassigned / overdue / due
// soon and by status; binding WeChat for notifications; entries to the other
// cadre pages.
const page = require('../../../behaviors/page')
const api = require('../../../utils/api')
const profile = require('../../../services/profile')
const work = require('../../../services/work')
const session = require('../../../utils/session')
const format = require('../../../utils/format')
const reference = require('../../../services/reference')
const ui = require('../../../utils/ui')
const routes = require('../../../utils/routes')
const appConfig = require('../../../services/config')

// Category and org names of each open page (kept out of setData: the view needs only the rows).
/** @type {WeakMap<object, any>} */
const NAMES = new WeakMap()
// The latest load of each open page (an older answer arriving later is dropped).
/** @type {WeakMap<object, number>} */
const LOADS = new WeakMap()

const FILTERS = [
  { key: 'all', label: '全部', query: {} },
  { key: 'mine', label: '我的', query: { assignee: 'me' } },
  { key: 'unassigned', label: '未分配', query: { assignee: 'unassigned' } },
  { key: 'overdue', label: '超期', query: { overdue: 1 } },
  { key: 'due_soon', label: '临期', query: { due_soon: 1 } },
]
// '' = the open items (the server's default without a status)
const STATUSES = ['', 'submitted', 'accepted', 'long_term', 'resolved', 'responded', 'rejected', 'withdrawn']

Component({
  behaviors: [page],
  data: {
    emptyAction: '',
    account: null,
    orgName: '', // the header says who and where (not the login name)
    filters: FILTERS.map((f) => ({ key: f.key, label: f.label })),
    filter: 'all',
    statusNames: STATUSES.map((s) => (s ? format.REQUEST_STATUS[s].text : '办理中的全部')),
    statusIndex: 0,
    state: 'loading',
    message: '',
    items: [],
    cursor: '',
    more: false,
    binding: false,
  },
  methods: {
    onLoad() {
      if (!session.token() || session.mode() !== 'staff') {
        wx.reLaunch({ url: routes.staffLogin })
        return Promise.resolve()
      }
      this.setData({ account: session.account() })
      return Promise.all([this.load(), appConfig.load()])
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
    /** One inbox row: names, and the due time of the item's current state. */
    decorate(x) {
      const names = NAMES.get(this) || { categoryNames: {}, orgNames: {} }
      return Object.assign({}, x, {
        category: names.categoryNames[x.category_id] || '',
        community: names.orgNames[x.community_id] || '',
        when: format.time(x.created_at),
        due: format.time(x.due_at || ''),
      })
    },
    /** @param {boolean} [more] */
    load(more) {
      if (more && !this.data.more) return Promise.resolve()
      if (!more) this.setData({ state: 'loading' })
      // Filters changed quickly: only the answer to the latest query is shown.
      const seq = (LOADS.get(this) || 0) + 1
      LOADS.set(this, seq)
      const names = NAMES.has(this) ? Promise.resolve(NAMES.get(this)) : reference.names()
      return Promise.all([work.inbox(this.query(more ? this.data.cursor : '')), names])
        .then(([d, n]) => {
          if (LOADS.get(this) !== seq) return
          NAMES.set(this, n)
          const acc = this.data.account || {}
          if (n.orgNames[acc.org_id] && n.orgNames[acc.org_id] !== this.data.orgName) this.setData({ orgName: n.orgNames[acc.org_id] })
          const got = (d.items || []).map((x) => this.decorate(x))
          const items = more ? this.data.items.concat(got) : got
          const narrowed = this.data.filter !== 'all' || this.data.statusIndex !== 0
          this.setData({
            items,
            cursor: d.next_cursor || '',
            more: !!d.next_cursor,
            state: items.length ? 'ready' : 'empty',
            message: items.length ? '' : narrowed ? '没有符合条件的诉求' : '待办已清空：辖区里暂时没有要处理的诉求',
            emptyAction: narrowed ? '查看全部诉求' : '查看约请',
          })
        })
        .catch((err) => {
          if (LOADS.get(this) !== seq) return
          if (more) ui.toastError(err)
          else this.setData({ state: 'error', message: api.messageOf(err) })
        })
    },
    /** The empty list's next step: drop the filters, or look at the invitations. */
    emptyNext() {
      if (this.data.filter !== 'all' || this.data.statusIndex !== 0) {
        this.setData({ filter: 'all', statusIndex: 0 })
        return this.load()
      }
      wx.navigateTo({ url: routes.invitations })
      return Promise.resolve()
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
    /** Binds this WeChat to the staff account so staff notifications reach it. */
    /** 绑定微信: the staff notifications are asked for first, in the tap, then WeChat is bound. */
    bindWechat() {
      this.setData({ binding: true })
      return appConfig
        .subscribe('staff_inbox')
        .then(() => profile.staffBindWechat())
        .then((acc) => {
          this.setData({ binding: false, account: acc })
          ui.success('已绑定微信')
        })
        .catch((err) => {
          this.setData({ binding: false })
          ui.toastError(err)
        })
    },
    logout() {
      const done = () => {
        session.clear()
        wx.reLaunch({ url: routes.staffLogin })
      }
      return profile.logout().then(done, done)
    },
  },
})
