// Submit a request: category, text (5–2000), up to 9 photos uploaded as they
// are chosen, optional location. The draft — with its Idempotency-Key — is
// kept in storage, so a retry after a network failure never duplicates.
// When the resident has written the text (the textarea loses focus) or
// changes the category, GET /my/similar shows up to three open look-alike
// items of the community before anything is submitted: the resident may
// follow one (「我也遇到」) instead of filing, or submit anyway.
const page = require('../../behaviors/page')
const api = require('../../utils/api')
const reference = require('../../services/reference')
const requests = require('../../services/requests')
const session = require('../../utils/session')
const appConfig = require('../../services/config')
const ui = require('../../utils/ui')
const routes = require('../../utils/routes')

const DRAFT_KEY = 'zl_request_draft'
const MIN = 5
const MAX = 2000
const MAX_PHOTOS = 9

Component({
  behaviors: [page],
  data: {
    state: 'loading',
    message: '',
    categories: [],
    categoryNames: [],
    categoryIndex: -1,
    categoryId: 0, // kept apart from the index: the draft is restored before the categories load
    content: '',
    count: 0,
    min: MIN,
    max: MAX,
    maxPhotos: MAX_PHOTOS,
    photos: [],
    location: null,
    address: '',
    key: '',
    submitting: false,
    similar: [],
    checkedFor: '', // the category and text the look-alikes were last asked for
  },
  methods: {
    onLoad() {
      this.restore()
      return Promise.all([this.load(), appConfig.load()])
    },
    load() {
      this.setData({ state: 'loading' })
      return reference
        .categories()
        .then((categories) => {
          const idx = categories.findIndex((c) => c.id === this.data.categoryId)
          this.setData({ categories, categoryNames: categories.map((c) => c.name), categoryIndex: idx, state: categories.length ? 'ready' : 'empty', message: categories.length ? '' : '暂无可选的诉求类别' })
        })
        .catch((err) => this.setData({ state: 'error', message: api.messageOf(err) }))
    },
    restore() {
      const d = wx.getStorageSync(DRAFT_KEY) || {}
      const content = d.content || ''
      this.setData({
        key: d.key || api.newIdempotencyKey(),
        categoryId: d.category_id || 0,
        content,
        count: content.length,
        address: d.address || '',
        location: d.location || null,
        photos: (d.photos || []).map((p) => ({ path: p.path, id: p.id, state: 'done' })),
      })
      this.persist()
    },
    persist() {
      wx.setStorageSync(DRAFT_KEY, {
        key: this.data.key,
        category_id: this.data.categoryId,
        content: this.data.content,
        address: this.data.address,
        location: this.data.location,
        photos: this.data.photos.filter((p) => p.state === 'done').map((p) => ({ path: p.path, id: p.id })),
      })
    },
    onCategory(e) {
      const i = Number(e.detail.value)
      const c = this.data.categories[i]
      this.setData({ categoryIndex: i, categoryId: c ? c.id : 0 })
      this.persist()
      return this.lookAlikes()
    },
    onContent(e) {
      const content = e.detail.value
      this.setData({ content, count: content.length })
      this.persist()
    },
    onAddress(e) {
      this.setData({ address: e.detail.value })
      this.persist()
    },
    choosePhotos() {
      const left = MAX_PHOTOS - this.data.photos.length
      if (left <= 0) {
        ui.toast(`最多上传${MAX_PHOTOS}张照片`)
        return Promise.resolve()
      }
      return new Promise((resolve) => {
        wx.chooseMedia({
          count: left,
          mediaType: ['image'],
          sizeType: ['compressed'],
          sourceType: ['album', 'camera'],
          success: (res) => resolve(res.tempFiles.map((f) => f.tempFilePath)),
          fail: () => resolve([]),
        })
      }).then((/** @type {string[]} */ paths) => Promise.all(paths.slice(0, left).map((p) => this.uploadOne(p))))
    },
    /** @param {string} path */
    uploadOne(path) {
      this.setData({ photos: this.data.photos.concat([{ path, id: 0, state: 'uploading' }]) })
      const mark = (fields) => {
        this.setData({ photos: this.data.photos.map((p) => (p.path === path ? Object.assign({}, p, fields) : p)) })
        this.persist()
      }
      return requests
        .upload(path)
        .then((u) => mark({ id: u.id, state: 'done' }))
        .catch((err) => {
          mark({ state: 'error' })
          ui.toastError(err)
        })
    },
    removePhoto(e) {
      const i = Number(e.currentTarget.dataset.index)
      this.setData({ photos: this.data.photos.filter((_, j) => j !== i) })
      this.persist()
    },
    retryPhoto(e) {
      const i = Number(e.currentTarget.dataset.index)
      const p = this.data.photos[i]
      if (!p) return Promise.resolve()
      this.setData({ photos: this.data.photos.filter((_, j) => j !== i) })
      return this.uploadOne(p.path)
    },
    chooseLocation() {
      return new Promise((resolve) => {
        wx.chooseLocation({
          success: (res) => {
            this.setData({ location: { lat: res.latitude, lng: res.longitude, name: res.name || res.address }, address: this.data.address || res.address || '' })
            this.persist()
            resolve(undefined)
          },
          fail: () => resolve(undefined),
        })
      })
    },
    clearLocation() {
      this.setData({ location: null })
      this.persist()
    },
    /** The POST body, or the first problem with the form. */
    payload() {
      const c = this.data.categories[this.data.categoryIndex]
      const content = this.data.content.trim()
      const r = session.resident() || {}
      if (!c) return { error: '请选择诉求类别' }
      if (content.length < MIN) return { error: `请至少写${MIN}个字，说清楚情况` }
      if (content.length > MAX) return { error: `内容不能超过${MAX}字` }
      if (this.data.photos.some((p) => p.state === 'uploading')) return { error: '照片还在上传，请稍候' }
      if (this.data.photos.some((p) => p.state === 'error')) return { error: '有照片上传失败，请重试或删除' }
      if (!r.community_id) return { error: '请先在个人资料中选择所在社区', profile: true }
      /** @type {Record<string, any>} */
      const body = { category_id: c.id, content, community_id: r.community_id }
      const address = this.data.address.trim()
      if (address) body.address = address
      const ids = this.data.photos.map((p) => p.id)
      if (ids.length) body.image_ids = ids
      if (this.data.location) {
        body.lat = this.data.location.lat
        body.lng = this.data.location.lng
      }
      return { body }
    },
    /**
     * 「提交」: the status notifications are asked for first, synchronously in
     * the tap (WeChat refuses the prompt anywhere else), then the request is
     * sent whatever the answer.
     */
    submit() {
      const p = this.payload()
      if (p.error) {
        ui.toast(p.error)
        if (p.profile) wx.navigateTo({ url: routes.profile })
        return Promise.resolve()
      }
      if (this.data.submitting) return Promise.resolve()
      this.setData({ submitting: true })
      return appConfig.subscribe('request').then(() => this.send(p.body))
    },
    /**
     * Shows the open items of the community that look like the draft, once
     * per category and text (a failure only leaves them out).
     */
    lookAlikes() {
      const content = this.data.content.trim()
      const r = session.resident() || {}
      const c = this.data.categories[this.data.categoryIndex]
      const probe = `${c ? c.id : 0}|${content}`
      if (content.length < MIN || !r.community_id || probe === this.data.checkedFor) return Promise.resolve()
      this.setData({ checkedFor: probe })
      /** @type {Record<number, string>} */
      const names = {}
      this.data.categories.forEach((x) => {
        names[x.id] = x.name
      })
      const loc = this.data.location || {}
      return requests
        .similar({ community_id: r.community_id, category_id: c ? c.id : undefined, text: content, lat: loc.lat, lng: loc.lng })
        .then((d) => {
          const similar = (d.items || []).slice(0, 3).map((x) => Object.assign({}, x, { category: names[x.category_id] || '', age: x.age_days ? `${x.age_days}天前` : '今天' }))
          this.setData({ similar })
        })
        .catch(() => this.setData({ similar: [] }))
    },
    /**
     * 「我也遇到」: follow a look-alike item instead of filing. WeChat shows the
     * subscription dialog only from a tap, so it is asked synchronously here,
     * before any network call; a refusal changes nothing.
     */
    follow(e) {
      const id = Number(e.currentTarget.dataset.id)
      return appConfig
        .subscribe('request')
        .then(() => requests.follow(id))
        .then(() => {
          this.setData({ similar: this.data.similar.map((x) => (x.id === id ? Object.assign({}, x, { following: true, followers: x.followers + 1 }) : x)) })
          wx.removeStorageSync(DRAFT_KEY)
          ui.success('已关注，办理进展会通知您')
          wx.redirectTo({ url: `${routes.follow}?id=${id}` })
        })
        .catch(ui.toastError)
    },
    /** @param {Record<string, any>} body */
    send(body) {
      this.setData({ submitting: true })
      return requests
        .submit(body, this.data.key)
        .then((req) => {
          wx.removeStorageSync(DRAFT_KEY)
          this.setData({ submitting: false })
          wx.redirectTo({ url: `${routes.request}?id=${req.id}` })
          return req
        })
        .catch((err) => {
          this.setData({ submitting: false })
          if (err.code === 'idempotency_mismatch') {
            // The same key was used with other content: this draft is a new request.
            this.setData({ key: api.newIdempotencyKey() })
            this.persist()
          }
          ui.toastError(err)
        })
    },
  },
})
