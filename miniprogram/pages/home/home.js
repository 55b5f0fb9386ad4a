// Resident home: my open items, my next booking, the nearest liaison point
// and its next session; entries to every resident page.
const page = require('../../behaviors/page')
const api = require('../../utils/api')
const sessions = require('../../services/sessions')
const requests = require('../../services/requests')
const session = require('../../utils/session')
const routes = require('../../utils/routes')
const format = require('../../utils/format')

const OPEN = ['submitted', 'accepted', 'long_term']
const LOCATION_KEY = 'zl_last_location'

Component({
  behaviors: [page],
  data: {
    name: '',
    residency: '',
    profileComplete: true,
    open: { state: 'loading', message: '', items: [] },
    booking: { state: 'loading', message: '', item: null },
    point: { state: 'loading', message: '', item: null, next: '' },
    failed: '', // one message and one 重试 when any part could not load
  },
  methods: {
    onLoad() {
      if (!session.token()) {
        wx.reLaunch({ url: routes.launch })
        return Promise.resolve()
      }
      return this.load()
    },
    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh())
    },
    load() {
      const r = session.resident() || {}
      this.setData({ name: r.name || '', residency: format.RESIDENCY[r.residency] || '', profileComplete: !!r.profile_complete })
      this.setData({ failed: '' })
      return Promise.all([this.loadOpen(), this.loadBooking(), this.loadPoint()]).then(() => {
        const bad = [this.data.open, this.data.booking, this.data.point].find((x) => x.state === 'error')
        this.setData({ failed: bad ? bad.message : '' })
      })
    },
    loadOpen() {
      return requests
        .mine({ page_size: 20 })
        .then((d) => {
          const items = (d.items || []).filter((x) => OPEN.indexOf(x.status) >= 0).slice(0, 3)
          this.setData({ open: { state: items.length ? 'ready' : 'empty', message: '', items } })
        })
        .catch((err) => this.setData({ open: { state: 'error', message: api.messageOf(err), items: [] } }))
    },
    loadBooking() {
      return sessions
        .bookings({ status: 'booked', page_size: 5 })
        .then((d) => {
          const item = (d.items || []).find((b) => b.status === 'booked') || null
          this.setData({ booking: { state: item ? 'ready' : 'empty', message: '', item } })
        })
        .catch((err) => this.setData({ booking: { state: 'error', message: api.messageOf(err), item: null } }))
    },
    loadPoint() {
      const loc = wx.getStorageSync(LOCATION_KEY) || {}
      return sessions
        .points({ lat: loc.lat, lng: loc.lng, page_size: 1 })
        .then((d) => {
          const item = (d.items || [])[0] || null
          if (!item) {
            this.setData({ point: { state: 'empty', message: '', item: null, next: '' } })
            return undefined
          }
          return sessions.pointSessions(item.id, { page_size: 5 }).then((s) => {
            const next = (s.items || []).find((x) => x.status !== 'cancelled')
            this.setData({ point: { state: 'ready', message: '', item, next: next ? `${next.date}（${format.weekday(next.date)}）` : '' } })
          })
        })
        .catch((err) => this.setData({ point: { state: 'error', message: api.messageOf(err), item: null, next: '' } }))
    },
    go(e) {
      wx.navigateTo({ url: routes[e.currentTarget.dataset.to] })
    },
    openRequest(e) {
      wx.navigateTo({ url: `${routes.request}?id=${e.currentTarget.dataset.id}` })
    },
  },
})
