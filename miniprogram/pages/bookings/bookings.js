// My bookings: the check-in code large and as a QR code for the cadre to
// scan; cancel a booking that has not been used.
const page = require('../../behaviors/page')
const api = require('../../utils/api')
const sessions = require('../../services/sessions')
const format = require('../../utils/format')
const ui = require('../../utils/ui')
const routes = require('../../utils/routes')

Component({
  behaviors: [page],
  data: { state: 'loading', message: '', items: [], busy: false },
  methods: {
    onLoad() {
      return this.load()
    },
    onShow() {
      if (this.data.state !== 'loading') return this.load()
      return Promise.resolve()
    },
    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh())
    },
    load() {
      return sessions
        .bookings({ page_size: 50 })
        .then((d) => {
          // upcoming bookings first (soonest first), then the cancelled and past ones
          const rank = (b) => (b.status === 'booked' ? 0 : 1)
          const items = (d.items || [])
            .map((b) =>
              Object.assign({}, b, {
                weekday: format.weekday(b.date),
                window: b.start_at ? `${format.clock(b.start_at)}–${format.clock(b.end_at)}` : '',
                cancelBy: format.time(b.cancel_before),
              })
            )
            .sort((a, b) => rank(a) - rank(b) || (rank(a) === 0 ? String(a.start_at).localeCompare(String(b.start_at)) : 0))
          this.setData({ items, state: items.length ? 'ready' : 'empty', message: items.length ? '' : '还没有预约：到附近的驻点，约一个时间当面反映' })
        })
        .catch((err) => this.setData({ state: 'error', message: api.messageOf(err) }))
    },
    toPoints() {
      wx.navigateTo({ url: routes.points })
    },
    cancel(e) {
      const id = Number(e.currentTarget.dataset.id)
      return ui.confirm('取消预约', '确定取消这次预约吗？').then((ok) => {
        if (!ok) return undefined
        this.setData({ busy: true })
        return sessions
          .cancelBooking(id)
          .then(() => {
            this.setData({ busy: false })
            ui.success('已取消')
            return this.load()
          })
          .catch((err) => {
            this.setData({ busy: false })
            ui.toastError(err)
          })
      })
    },
  },
})
