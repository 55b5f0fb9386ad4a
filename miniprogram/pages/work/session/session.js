// Today's session at a liaison point: the roster, check-in by scanning the
// resident's QR code (wx.scanCode) or typing the code, walk-in items, and
// closing the session with its summary; before and during it, the point's
// 「本周热点」 (GET /work/topics?point_id: topics since its last session).
const page = require('../../../behaviors/page')
const api = require('../../../utils/api')
const reference = require('../../../services/reference')
const work = require('../../../services/work')
const format = require('../../../utils/format')
const ui = require('../../../utils/ui')
const routes = require('../../../utils/routes')

Component({
  behaviors: [page],
  data: {
    state: 'loading',
    message: '',
    sessions: [],
    current: null,
    roster: [],
    checkedIn: 0,
    code: '',
    categories: [],
    categoryNames: [],
    walkIn: { categoryIndex: -1, content: '', code: '', name: '', phone: '', residency: '' },
    walkIns: [],
    residencyNames: ['户籍', '非户籍常住'],
    residencyValues: ['hukou', 'non_hukou'],
    summary: '',
    closed: null,
    busy: false,
    topics: [],
    topicsNote: '',
    topicsFor: 0, // the session the topics were loaded for
  },
  methods: {
    onLoad() {
      return this.load()
    },
    /** No session today: back to the inbox. */
    toInbox() {
      wx.reLaunch({ url: routes.inbox })
    },
    load() {
      this.setData({ state: 'loading' })
      // The desk lists today's and upcoming sessions; this page works today's.
      const today = format.today()
      return work
        .sessions({ page_size: 50 })
        .then((d) => {
          const sessions = (d.items || []).filter((x) => x.date === today && x.status !== 'cancelled')
          this.setData({ sessions, state: sessions.length ? 'ready' : 'empty', message: sessions.length ? '' : '今天没有您负责的驻点接待' })
          if (sessions.length === 1) return this.openSession(sessions[0].id)
          return undefined
        })
        .catch((err) => this.setData({ state: 'error', message: api.messageOf(err) }))
    },
    pickSession(e) {
      return this.openSession(Number(e.currentTarget.dataset.id))
    },
    /**
     * GET /work/sessions/{id}: {session (with slots), bookings, checked_in, ledger}.
     * @param {number} id
     */
    openSession(id) {
      return Promise.all([work.session(id), this.data.categories.length ? null : reference.categories().then((items) => ({ items })).catch(() => null)])
        .then(([r, cats]) => {
          /** @type {Record<number, any>} */
          const slots = {}
          ;(r.session.slots || []).forEach((sl) => {
            slots[sl.id] = sl
          })
          const roster = (r.bookings || []).map((b) => {
            const sl = slots[b.slot_id]
            return Object.assign({}, b, { window: `${format.clock(b.start_at)}${sl ? `–${format.clock(sl.end_at)}` : ''}` })
          })
          const ledger = r.ledger || {}
          /** @type {Record<string, any>} */
          const patch = { current: r.session, roster, checkedIn: r.checked_in || 0, closed: r.session.status === 'closed' ? this.figures(ledger) : null }
          if (cats) {
            patch.categories = cats.items || []
            patch.categoryNames = (cats.items || []).map((c) => c.name)
          }
          this.setData(patch)
          return this.topics(r.session)
        })
        .catch(ui.toastError)
    },
    /**
     * The hot topics of the session's point since its last session (once per
     * session; a failure only leaves them out).
     * @param {any} sess
     */
    topics(sess) {
      if (this.data.topicsFor === sess.id) return Promise.resolve()
      this.setData({ topicsFor: sess.id })
      return work
        .topics({ point_id: sess.point_id })
        .then((rep) => {
          const since = rep.since === 'last_session' && rep.last_session_at ? `自上次接待（${format.time(rep.last_session_at)}）以来` : '近 7 天'
          const topics = (rep.topics || []).slice(0, 5).map((t, i) => ({
            key: `${i}-${(t.keywords || []).join('')}`,
            words: (t.keywords || []).join(' · '),
            count: t.count,
            openPct: format.percent(t.open_share),
            nonHukouPct: format.percent(t.non_hukou_share),
          }))
          this.setData({ topics, topicsNote: `${since}共 ${rep.items} 件诉求` })
        })
        .catch(() => this.setData({ topics: [], topicsNote: '' }))
    },
    /** The closing figures for display ('—' for a figure the server has not recorded). */
    figures(l) {
      const n = (v) => (v === null || v === undefined ? '—' : v)
      return { attendees: n(l.attendees), no_shows: n(l.no_shows), collected: n(l.collected), solved_on_spot: n(l.solved_on_spot), summary: l.summary || '' }
    },
    onCode(e) {
      this.setData({ code: e.detail.value })
    },
    scan() {
      return new Promise((resolve) => {
        wx.scanCode({
          onlyFromCamera: false,
          scanType: ['qrCode'],
          // The payload ZLBK:<session>:<code> goes to the server as it is, so a
          // code of another session is refused rather than matched by chance.
          success: (res) => resolve(this.checkin(res.result)),
          fail: () => resolve(undefined),
        })
      })
    },
    checkinTyped() {
      return this.checkin(this.data.code)
    },
    /** @param {string} code */
    checkin(code) {
      code = String(code || '').trim().toUpperCase()
      if (!code) {
        ui.toast('请输入签到码')
        return Promise.resolve()
      }
      this.setData({ busy: true })
      return work
        .checkin(this.data.current.id, code)
        .then((b) => {
          // the check-in answer may come without the name: the roster has it
          const entry = this.data.roster.find((x) => x.id === b.id) || {}
          this.setData({ busy: false, code: '' })
          ui.toast(`${b.resident_name || entry.resident_name || ''}已签到`) // a success toast cuts titles after 7 characters
          return this.openSession(this.data.current.id)
        })
        .catch((err) => {
          this.setData({ busy: false })
          ui.toastError(err)
        })
    },
    onWalkIn(e) {
      this.setData({ [`walkIn.${e.currentTarget.dataset.field}`]: e.detail.value })
    },
    onWalkInCategory(e) {
      this.setData({ 'walkIn.categoryIndex': Number(e.detail.value) })
    },
    onWalkInResidency(e) {
      this.setData({ 'walkIn.residency': this.data.residencyValues[Number(e.detail.value)] })
    },
    /**
     * POST /work/sessions/{id}/walk-ins: an item raised at the session. With a
     * booked resident's check-in code it goes to their account (they follow it
     * in the mini-program); without, the name, phone and residency stand for
     * someone without WeChat. The point's community is the default.
     */
    addWalkIn() {
      const w = this.data.walkIn
      const c = this.data.categories[w.categoryIndex]
      const content = w.content.trim()
      if (!c) return Promise.resolve(ui.toast('请选择类别'))
      if (content.length < 5) return Promise.resolve(ui.toast('请至少写5个字'))
      /** @type {Record<string, any>} */
      const body = { category_id: c.id, content }
      const code = w.code.trim().toUpperCase()
      if (code) body.booking_code = code
      else {
        if (w.name.trim()) body.name = w.name.trim()
        if (w.phone.trim()) body.phone = w.phone.trim()
        if (w.residency) body.residency = w.residency
      }
      this.setData({ busy: true })
      return work
        .walkIn(this.data.current.id, body)
        .then((req) => {
          const who = (req.contact && req.contact.name) || w.name.trim() || '群众'
          const entry = { id: req.id, number: req.number, who, category: c.name, status: req.status }
          this.setData({ busy: false, walkIn: { categoryIndex: -1, content: '', code: '', name: '', phone: '', residency: '' }, walkIns: this.data.walkIns.concat([entry]) })
          ui.success('已登记')
        })
        .catch((err) => {
          this.setData({ busy: false })
          ui.toastError(err)
        })
    },
    /** Opens a recorded item (e.g. to accept and resolve it on the spot). */
    openItem(e) {
      wx.navigateTo({ url: `${routes.item}?id=${e.currentTarget.dataset.id}` })
    },
    onSummary(e) {
      this.setData({ summary: e.detail.value })
    },
    close() {
      const summary = this.data.summary.trim()
      if (!summary) return Promise.resolve(ui.toast('请填写接待小结'))
      return ui.confirm('结束接待', '结束后不能再签到和登记，确定结束吗？').then((ok) => {
        if (!ok) return undefined
        this.setData({ busy: true })
        return work
          .closeSession(this.data.current.id, summary)
          .then((closed) => {
            this.setData({ busy: false, closed: this.figures(closed), 'current.status': 'closed' })
            return this.openSession(this.data.current.id)
          })
          .catch((err) => {
            this.setData({ busy: false })
            ui.toastError(err)
          })
      })
    },
  },
})
