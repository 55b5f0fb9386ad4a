// Liaison points (nearest first once the resident shares a location), their
// upcoming sessions with seats left per slot, and booking a slot with a topic.
const page = require('../../behaviors/page')
const api = require('../../utils/api')
const sessions = require('../../services/sessions')
const appConfig = require('../../services/config')
const format = require('../../utils/format')
const ui = require('../../utils/ui')
const routes = require('../../utils/routes')

const LOCATION_KEY = 'zl_last_location'

Component({
  behaviors: [page],
  data: {
    state: 'loading',
    message: '',
    points: [],
    pointId: 0,
    pointName: '',
    sessionsState: 'empty',
    sessionsMessage: '',
    sessions: [],
    topic: '',
    keys: {},
    booking: false,
  },
  methods: {
    onLoad() {
      return Promise.all([this.load(), appConfig.load()])
    },
    load() {
      const loc = wx.getStorageSync(LOCATION_KEY) || {}
      this.setData({ state: 'loading' })
      return sessions
        .points({ lat: loc.lat, lng: loc.lng, page_size: 50 })
        .then((d) => {
          const points = (d.items || []).map((p) => Object.assign({}, p, { distance: format.distance(p.distance_m) }))
          this.setData({ points, state: points.length ? 'ready' : 'empty', message: points.length ? '' : '暂无驻点' })
        })
        .catch((err) => this.setData({ state: 'error', message: api.messageOf(err) }))
    },
    nearest() {
      return new Promise((resolve) => {
        wx.getLocation({
          type: 'wgs84', // GET /points sorts by WGS-84 distance
          success: (res) => {
            wx.setStorageSync(LOCATION_KEY, { lat: res.latitude, lng: res.longitude })
            resolve(this.load())
          },
          fail: () => {
            ui.toast('未获取位置，按默认顺序显示')
            resolve(undefined)
          },
        })
      })
    },
    selectPoint(e) {
      const id = Number(e.currentTarget.dataset.id)
      const p = this.data.points.find((x) => x.id === id)
      this.setData({ pointId: id, pointName: p ? p.name : '' })
      return this.loadSessions()
    },
    loadSessions() {
      this.setData({ sessionsState: 'loading' })
      return sessions
        .pointSessions(this.data.pointId)
        .then((d) => {
          const sessions = (d.items || []).map((s) =>
            Object.assign({}, s, {
              // full: no seats left; closed: seats left but past the booking cut-off
              slots: (s.slots || []).map((sl) =>
                Object.assign({}, sl, { start: format.clock(sl.start_at), end: format.clock(sl.end_at), full: sl.remaining <= 0, closed: sl.remaining > 0 && !sl.bookable })
              ),
            })
          )
          this.setData({ sessions, sessionsState: sessions.length ? 'ready' : 'empty', sessionsMessage: sessions.length ? '' : '近期没有可预约的接待日' })
        })
        .catch((err) => this.setData({ sessionsState: 'error', sessionsMessage: api.messageOf(err) }))
    },
    onTopic(e) {
      this.setData({ topic: e.detail.value })
    },
    book(e) {
      const slotId = Number(e.currentTarget.dataset.slot)
      const topic = this.data.topic.trim()
      if (topic.length > 200) {
        ui.toast('事由不能超过200字')
        return Promise.resolve()
      }
      // One key per slot attempt: a retry of the same booking is not a second booking.
      const keys = Object.assign({}, this.data.keys)
      if (!keys[slotId]) keys[slotId] = api.newIdempotencyKey()
      this.setData({ keys, booking: true })
      /** @type {Record<string, any>} */
      const body = { slot_id: slotId }
      if (topic) body.topic = topic
      // Asked first, synchronously in the tap (WeChat refuses it later); booked whatever the answer.
      return appConfig
        .subscribe('booking')
        .then(() => sessions.book(body, keys[slotId]))
        .then((b) => {
          this.setData({ booking: false, topic: '', keys: {} })
          wx.navigateTo({ url: routes.bookings })
          return b
        })
        .catch((err) => {
          this.setData({ booking: false })
          ui.toastError(err)
          if (err.status === 409) return this.loadSessions()
          return undefined
        })
    },
  },
})
