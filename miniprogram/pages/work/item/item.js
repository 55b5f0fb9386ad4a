// One item for a cadre (GET /api/v1/work/requests/{id}): content, contact
// (the phone masked or not as the server says), due time, invitations, the
// internal timeline, its photos (signed links, opened with wx.previewImage),
// and the actions the server says the caller may take now (action_items,
// with their labels; 不予受理 styled apart and confirmed), each with its small
// form (utils/action-forms.js; resolve and respond may attach result photos): POST /api/v1/work/requests/{id}/{action}, which
// answers with the item as it now is. Below it, GET …/{id}/similar: how many
// residents follow it, its likely duplicates (open items of its community)
// with 「合并到此件」 (POST …/{id}/merge), and what was merged into it.
const page = require('../../../behaviors/page')
const api = require('../../../utils/api')
const work = require('../../../services/work')
const session = require('../../../utils/session')
const forms = require('../../../utils/action-forms')
const photos = require('../../../utils/photos')
const format = require('../../../utils/format')
const orgs = require('../../../utils/orgs')
const reference = require('../../../services/reference')
const ui = require('../../../utils/ui')
const appConfig = require('../../../services/config')

// Category and org names and the org tree of each open page (kept out of setData).
/** @type {WeakMap<object, any>} */
const NAMES = new WeakMap()

// Which due time the item's current state runs against.
const DUE_LABELS = { submitted: '受理时限', accepted: '办结时限', long_term: '复核期限' }

Component({
  behaviors: [page],
  data: {
    id: 0,
    state: 'loading',
    message: '',
    req: null,
    invitations: [],
    actions: [],
    photos: [],
    resultPhotos: [],
    photoGroup: '',
    resultGroup: '',
    action: '',
    actionLabel: '',
    actionDestructive: false,
    fields: [],
    form: /** @type {Record<string, any>} */ ({}),
    orgNames: [],
    orgIds: [],
    deptNames: [],
    deptIds: [],
    busy: false,
    links: { followers: 0, duplicates: [], merged: [], merged_into: null },
  },
  methods: {
    /** @param {{id?: string}} query */
    onLoad(query) {
      this.setData({ id: Number(query && query.id) || 0 })
      return Promise.all([this.load(), appConfig.load()])
    },
    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh())
    },
    load() {
      if (!this.data.id) {
        this.setData({ state: 'error', message: '没有找到这条诉求' })
        return Promise.resolve()
      }
      this.setData({ state: 'loading' })
      return Promise.all([work.item(this.data.id), NAMES.has(this) ? NAMES.get(this) : reference.names()])
        .then(([req, names]) => {
          NAMES.set(this, names)
          this.show(req)
          return this.links()
        })
        .catch((err) => this.setData({ state: 'error', message: api.messageOf(err) }))
    },
    /** Followers, likely duplicates and merges (a failure only leaves them out). */
    links() {
      if (!this.data.req || !this.data.req.can_act) return Promise.resolve()
      return work
        .links(this.data.id)
        .then((l) => {
          const duplicates = (l.duplicates || []).map((d) => Object.assign({}, d, { when: format.time(d.created_at), scorePct: `${Math.round((d.score || 0) * 100)}%` }))
          this.setData({ links: { followers: l.followers || 0, duplicates, merged: l.merged || [], merged_into: l.merged_into || null } })
        })
        .catch(() => undefined)
    },
    /** Merges this item into a likely duplicate the cadre picked, after a confirmation. */
    merge(e) {
      const into = Number(e.currentTarget.dataset.id)
      const number = e.currentTarget.dataset.number
      return ui
        .confirm('合并重复诉求', `将本件合并到 ${number} 办理？本件按重复件办结，群众改为关注该件，办结时一并告知。`)
        .then((ok) => {
          if (!ok) return undefined
          this.setData({ busy: true })
          return work
            .merge(this.data.id, into)
            .then((req) => {
              this.setData({ busy: false })
              ui.success('已合并')
              this.show(req)
              return this.links()
            })
            .catch((err) => {
              this.setData({ busy: false })
              ui.toastError(err)
            })
        })
    },
    /** Shows the item as the server sent it (after loading or after an action). */
    show(req) {
      const n = NAMES.get(this) || { categoryNames: {}, orgNames: {} }
      const contact = req.contact || {}
      const actions = (req.can_act === false ? [] : req.action_items || []).map((a) => ({ key: a.action, label: a.label, destructive: !!a.destructive }))
      const pics = photos.split(req.photos)
      this.setData({
        req: Object.assign({}, req, {
          when: format.time(req.created_at),
          category: n.categoryNames[req.category_id] || '',
          community: n.orgNames[req.community_id] || '',
          handler: n.orgNames[req.handling_org_id] || '',
          sourceText: format.SOURCES[req.source] || '',
          contactName: contact.name || '',
          contactPhone: contact.phone || '',
          phoneMasked: !!contact.phone_masked,
          residencyText: format.RESIDENCY[req.residency] || '',
          dueLabel: DUE_LABELS[req.status] || '',
          due: req.status === 'long_term' && req.review_date ? req.review_date : format.time(req.due_at || ''),
        }),
        photos: pics.submitted,
        resultPhotos: pics.results,
        photoGroup: pics.submitted.map((p) => p.src).join('\n'),
        resultGroup: pics.results.map((p) => p.src).join('\n'),
        invitations: (req.invitations || []).map((v) => Object.assign({}, v, { answer: v.reply || v.decline_reason || '' })),
        actions,
        state: 'ready',
      })
      // an open form whose action the new state no longer allows is closed
      if (this.data.action && !actions.some((a) => a.key === this.data.action)) this.cancelAction()
    },
    preview(e) {
      photos.preview(e)
    },
    startAction(e) {
      const action = e.currentTarget.dataset.action
      const spec = forms.FORMS[action]
      const item = this.data.actions.find((a) => a.key === action)
      if (!spec || !item) return
      this.setData({
        action,
        actionLabel: item.label,
        actionDestructive: item.destructive,
        fields: spec.fields,
        form: action === 'progress' ? { public: true } : action === 'resolve' || action === 'respond' ? { photos: [] } : {},
      })
      if (action === 'transfer' || action === 'invite') this.targets()
    },
    cancelAction() {
      this.setData({ action: '', fields: [], form: {} })
    },
    /** Transfer and invitation targets the server accepts, from the org tree. */
    targets() {
      const tree = (NAMES.get(this) || {}).tree || []
      const acc = session.account() || {}
      const units = orgs.transferTargets(tree, acc.org_id, this.data.req.handling_org_id)
      const depts = orgs.invitableDepartments(tree, this.data.req.handling_org_id)
      this.setData({ orgNames: units.map((o) => o.label), orgIds: units.map((o) => o.id), deptNames: depts.map((o) => o.label), deptIds: depts.map((o) => o.id) })
    },
    onField(e) {
      this.setData({ [`form.${e.currentTarget.dataset.field}`]: e.detail.value })
    },
    onSwitch(e) {
      this.setData({ [`form.${e.currentTarget.dataset.field}`]: !!e.detail.value })
    },
    onOrg(e) {
      const i = Number(e.detail.value)
      this.setData({ 'form.org_id': this.data.orgIds[i], 'form.org_label': this.data.orgNames[i] })
    },
    onDept(e) {
      const i = Number(e.detail.value)
      this.setData({ 'form.department_id': this.data.deptIds[i], 'form.department_label': this.data.deptNames[i] })
    },
    assignToMe() {
      const acc = session.account()
      if (acc) this.setData({ 'form.account_id': String(acc.id) })
    },
    /** Result photos: chosen, then uploaded one by one (their ids go with resolve/respond). */
    chooseResultPhotos() {
      const have = (this.data.form.photos || []).length
      if (have >= 9) return Promise.resolve()
      return new Promise((resolve) => {
        wx.chooseMedia({
          count: 9 - have,
          mediaType: ['image'],
          sizeType: ['compressed'],
          sourceType: ['album', 'camera'],
          success: (res) => resolve(res.tempFiles.map((f) => f.tempFilePath)),
          fail: () => resolve([]),
        })
      }).then((/** @type {string[]} */ paths) =>
        Promise.all(
          paths.map((path) => {
            this.setData({ 'form.photos': (this.data.form.photos || []).concat([{ path, id: 0, state: 'uploading' }]) })
            const mark = (fields) => this.setData({ 'form.photos': this.data.form.photos.map((p) => (p.path === path ? Object.assign({}, p, fields) : p)) })
            return work
              .upload(path)
              .then((u) => mark({ id: u.id, state: 'done' }))
              .catch((err) => {
                mark({ state: 'error' })
                ui.toastError(err)
              })
          })
        )
      )
    },
    removeResultPhoto(e) {
      const i = Number(e.currentTarget.dataset.index)
      this.setData({ 'form.photos': this.data.form.photos.filter((_, j) => j !== i) })
    },
    submitAction() {
      const action = this.data.action
      const shots = this.data.form.photos || []
      if (shots.some((p) => p.state !== 'done')) {
        ui.toast(shots.some((p) => p.state === 'uploading') ? '照片还在上传，请稍候' : '有照片上传失败，请删除后重试')
        return Promise.resolve()
      }
      const out = forms.buildBody(action, Object.assign({}, this.data.form, { image_ids: shots.map((p) => p.id) }))
      if (out.error) {
        ui.toast(out.error)
        return Promise.resolve()
      }
      // Accepting an item: the reminders of its due time are asked for first, in the tap.
      const asked = action === 'accept' ? appConfig.subscribe('staff_item') : Promise.resolve()
      // A destructive action (不予受理) is confirmed first.
      const confirmed = this.data.actionDestructive ? ui.confirm(`确认${this.data.actionLabel}？`, '群众将收到此结果和理由，本件随即办结。') : Promise.resolve(true)
      return Promise.all([asked, confirmed]).then(([, ok]) => (ok ? this.send(action, out.body) : undefined))
    },
    /** POST …/{action}; shows the item as it now is. */
    send(action, body) {
      this.setData({ busy: true })
      return work
        .act(this.data.id, action, body)
        .then((req) => {
          this.setData({ busy: false, action: '', fields: [], form: {} })
          ui.success('已提交')
          this.show(req)
        })
        .catch((err) => {
          this.setData({ busy: false })
          ui.toastError(err)
          // another cadre moved it meanwhile (409), or it left my jurisdiction
          // (404 after a transfer): show where it is now
          if (err.status === 409 || err.status === 404) return this.load()
          return undefined
        })
    },
  },
})
