// One of my requests: status, content, result, the public timeline;
// withdraw while it waits; rate 1–5 (and ask for a redo) once closed. My
// photos and the cadre's result photos show as thumbnails through signed
// links and open full screen with wx.previewImage.
const page = require('../../behaviors/page')
const api = require('../../utils/api')
const requests = require('../../services/requests')
const ui = require('../../utils/ui')
const photos = require('../../utils/photos')
const routes = require('../../utils/routes')

Component({
  behaviors: [page],
  data: {
    id: 0,
    state: 'loading',
    message: '',
    req: null,
    photos: [],
    resultPhotos: [],
    photoGroup: '',
    resultGroup: '',
    canWithdraw: false,
    canRate: false,
    canShare: false,
    sharePath: '',
    stars: [1, 2, 3, 4, 5],
    score: 0,
    comment: '',
    redo: false,
    busy: false,
  },
  methods: {
    /** @param {{id?: string}} query */
    onLoad(query) {
      this.setData({ id: Number(query && query.id) || 0 })
      return this.load()
    },
    load() {
      if (!this.data.id) {
        this.setData({ state: 'error', message: '没有找到这条诉求' })
        return Promise.resolve()
      }
      this.setData({ state: 'loading' })
      return requests
        .get(this.data.id)
        .then((req) => this.show(req))
        .catch((err) => this.setData({ state: 'error', message: api.messageOf(err) }))
    },
    /** The server says what the resident may do now (can_withdraw, can_rate). */
    show(req) {
      const pics = photos.split(req.photos)
      this.setData({
        req,
        photos: pics.submitted,
        resultPhotos: pics.results,
        photoGroup: pics.submitted.map((p) => p.src).join('\n'),
        resultGroup: pics.results.map((p) => p.src).join('\n'),
        state: 'ready',
        canWithdraw: !!req.can_withdraw,
        canRate: !!req.can_rate,
        canShare: !!req.can_share,
      })
    },
    /**
     * The share card (「分享给邻居」, or the menu's 转发). Never this page: only
     * its resident may open it. The card opens pages/shared/shared with the
     * request's share token (made on the first share, then kept), which shows
     * others only the public view. WeChat waits for `promise` (up to 3 s);
     * without it, or when the server says no, the card opens home.
     */
    onShareAppMessage() {
      const req = this.data.req
      const home = { title: '直联 · 有事直接找', path: routes.home }
      if (!req || !this.data.canShare) return home
      const title = `我反映的问题${req.status_label ? `（${req.status_label}）` : ''} · 直联`
      if (this.data.sharePath) return { title, path: this.data.sharePath }
      const promise = requests
        .share(this.data.id)
        .then((sh) => {
          const path = `/${sh.path}`
          this.setData({ sharePath: path })
          return { title, path }
        })
        .catch((err) => {
          ui.toastError(err)
          return home
        })
      return Object.assign({}, home, { title, promise })
    },
    preview(e) {
      photos.preview(e)
    },
    withdraw() {
      return ui.confirm('撤回诉求', '撤回后将不再办理，确定撤回吗？').then((ok) => {
        if (!ok) return undefined
        this.setData({ busy: true })
        return requests
          .withdraw(this.data.id)
          .then(() => {
            this.setData({ busy: false })
            ui.success('已撤回')
            return this.load()
          })
          .catch((err) => {
            this.setData({ busy: false })
            ui.toastError(err)
          })
      })
    },
    setScore(e) {
      this.setData({ score: Number(e.currentTarget.dataset.score) })
    },
    onComment(e) {
      this.setData({ comment: e.detail.value })
    },
    onRedo(e) {
      this.setData({ redo: !!e.detail.value })
    },
    rate() {
      const score = this.data.score
      const comment = this.data.comment.trim()
      if (score < 1 || score > 5) {
        ui.toast('请选择1到5星')
        return Promise.resolve()
      }
      if (this.data.redo && !comment) {
        ui.toast('申请重办请说明原因')
        return Promise.resolve()
      }
      /** @type {Record<string, any>} */
      const body = { score, redo: this.data.redo }
      if (comment) body.comment = comment
      this.setData({ busy: true })
      return requests
        .rate(this.data.id, body)
        .then(() => {
          this.setData({ busy: false, score: 0, comment: '', redo: false })
          ui.success(body.redo ? '已申请重办' : '感谢评价')
          return this.load()
        })
        .catch((err) => {
          this.setData({ busy: false })
          ui.toastError(err)
        })
    },
  },
})
