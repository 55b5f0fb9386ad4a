// Liaison points on a map and in a list (nearest first once the resident
// shares a location), each marker's callout with the next session and its
// free seats, 导航 (wx.openLocation), their upcoming sessions with seats left
// per slot, and booking a slot with a topic. Opened from the printed QR
// poster (scene "p=<id>") or a shared card (?id=<id>), the page selects that
// point and shows its sessions.
const page = require('../../behaviors/page')
const api = require('../../utils/api')
const sessions = require('../../services/sessions')
const appConfig = require('../../services/config')
const format = require('../../utils/format')
const ui = require('../../utils/ui')
const routes = require('../../utils/routes')

const LOCATION_KEY = 'zl_last_location'

/**
 * The point a page was opened for: ?id=<id>, or the QR code's scene
 * "p=<id>" (URL-encoded by WeChat), else 0.
 * @param {Record<string, string>} [query]
 */
function pointFromQuery(query) {
  if (!query) return 0
  if (query.id) return Number(query.id) || 0
  if (!query.scene) return 0
  const scene = decodeURIComponent(query.scene)
  const m = /(?:^|&)p=(\d+)(?:&|$)/.exec(scene)
  return m ? Number(m[1]) : 0
}

/** The next session with seats left among a point's upcoming sessions: {date, weekday, free} or null. */
function nextSession(list) {
  for (const s of list || []) {
    if (s.status === 'cancelled') continue
    const free = (s.slots || []).reduce((n, sl) => n + (sl.bookable ? Math.max(sl.remaining, 0) : 0), 0)
    return { date: s.date, weekday: format.weekday(s.date), free }
  }
  return null
}

Component({
  behaviors: [page],
  data: {
    state: 'loading',
    message: '',
    points: [],
    markers: [],
    center: null,
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
    /** @param {Record<string, string>} [query] id, or scene "p=<id>" from the poster's QR code */
    onLoad(query) {
      const wanted = pointFromQuery(query)
      return Promise.all([this.load(), appConfig.load()]).then(() => {
        if (!wanted) return undefined
        const p = this.data.points.find((x) => x.id === wanted)
        return this.open(wanted, p ? p.name : '')
      })
    },
    /** A point's card shared to a chat opens this page on that point. */
    /** No session to book: the matter can still be raised online. */
    goSubmit() {
      wx.navigateTo({ url: routes.submit })
    },
    onShareAppMessage() {
      const p = this.data.points.find((x) => x.id === this.data.pointId)
      if (!p) return { title: '直联 · 驻点预约', path: '/pages/points/points' }
      return { title: `${p.name} · 驻点接待预约`, path: `/pages/points/points?id=${p.id}` }
    },
    load() {
      const loc = wx.getStorageSync(LOCATION_KEY) || {}
      this.setData({ state: 'loading' })
      return sessions
        .points({ lat: loc.lat, lng: loc.lng, page_size: 50 })
        .then((d) => {
          const points = (d.items || []).map((p) => Object.assign({}, p, { distance: format.distance(p.distance_m), next: null }))
          this.setData({ points, state: points.length ? 'ready' : 'empty', message: points.length ? '' : '暂无驻点' })
          this.mark()
          return this.loadNext()
        })
        .catch((err) => this.setData({ state: 'error', message: api.messageOf(err) }))
    },
    /** Each point's next session and free seats (a failure only leaves them out). */
    loadNext() {
      return Promise.all(
        this.data.points.map((p) =>
          sessions
            .pointSessions(p.id)
            .then((d) => nextSession(d.items))
            .catch(() => null)
        )
      ).then((nexts) => {
        this.setData({ points: this.data.points.map((p, i) => Object.assign({}, p, { next: nexts[i] })) })
        this.mark()
      })
    },
    /** The map's markers: points with coordinates, callouts with the next session and free seats. */
    mark() {
      const located = this.data.points.filter((p) => typeof p.lat === 'number' && typeof p.lng === 'number')
      const markers = located.map((p) => ({
        id: p.id,
        latitude: p.lat,
        longitude: p.lng,
        title: p.name,
        width: 32,
        height: 40,
        callout: {
          content: p.next ? `${p.name}\n下次接待 ${p.next.date}（${p.next.weekday}）· 余 ${p.next.free} 位` : `${p.name}\n近期暂无接待日`,
          display: 'BYCLICK',
          padding: 8,
          borderRadius: 8,
          fontSize: 14,
        },
      }))
      const loc = wx.getStorageSync(LOCATION_KEY) || {}
      const first = located[0]
      const center = loc.lat ? { lat: loc.lat, lng: loc.lng } : first ? { lat: first.lat, lng: first.lng } : null
      this.setData({ markers, center })
    },
    /** Tapping a marker or its callout opens that point's sessions. */
    onMarker(e) {
      const id = Number(e.detail.markerId)
      const p = this.data.points.find((x) => x.id === id)
      if (!p) return Promise.resolve()
      return this.open(id, p.name)
    },
    /** 导航: the system map with the point's coordinates and address. */
    navigate(e) {
      const id = Number(e.currentTarget.dataset.id)
      const p = this.data.points.find((x) => x.id === id)
      if (!p || typeof p.lat !== 'number') {
        ui.toast('该驻点暂未标注位置')
        return
      }
      wx.openLocation({ latitude: p.lat, longitude: p.lng, name: p.name, address: p.address, scale: 17 })
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
      return this.open(id, p ? p.name : '')
    },
    /** Shows a point's sessions (its name from the list, or from GET /points/{id} when not listed). */
    open(id, name) {
      this.setData({ pointId: id, pointName: name })
      const named = name ? Promise.resolve() : sessions.point(id).then((p) => this.setData({ pointName: p.name })).catch(() => undefined)
      return Promise.all([named, this.loadSessions()])
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
          this.setData({ sessions, sessionsState: sessions.length ? 'ready' : 'empty', sessionsMessage: sessions.length ? '' : '近期没有可预约的接待日：也可以在线提交，街道同样受理' })
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
