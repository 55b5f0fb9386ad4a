// One item for a cadre: content, resident, the internal timeline, and the
// actions its state allows (utils/workflow.js), each with its small form:
// POST /api/v1/work/requests/{id}/{action}.
const page = require('../../../behaviors/page')
const api = require('../../../utils/api')
const session = require('../../../utils/session')
const workflow = require('../../../utils/workflow')
const format = require('../../../utils/format')
const orgs = require('../../../utils/orgs')
const ui = require('../../../utils/ui')

Component({
  behaviors: [page],
  data: {
    id: 0,
    state: 'loading',
    message: '',
    req: null,
    actions: [],
    action: '',
    actionLabel: '',
    fields: [],
    form: {},
    orgNames: [],
    orgIds: [],
    deptNames: [],
    deptIds: [],
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
      return api
        .get(`/work/requests/${this.data.id}`)
        .then((req) => this.show(req))
        .catch((err) => this.setData({ state: 'error', message: api.messageOf(err) }))
    },
    show(req) {
      const actions = workflow.allowedActions(req.status).map((a) => ({ key: a, label: format.ACTION_LABELS[a] }))
      this.setData({
        req: Object.assign({}, req, { when: format.time(req.created_at), due: format.time(req.resolve_due_at), residencyText: format.RESIDENCY[req.residency] || '' }),
        actions,
        state: 'ready',
      })
    },
    startAction(e) {
      const action = e.currentTarget.dataset.action
      const spec = workflow.FORMS[action]
      this.setData({
        action,
        actionLabel: format.ACTION_LABELS[action],
        fields: spec.fields,
        form: action === 'progress' ? { public: true } : {},
      })
      if ((action === 'transfer' || action === 'invite') && !this.data.orgIds.length) return this.loadOrgs()
      return Promise.resolve()
    },
    cancelAction() {
      this.setData({ action: '', fields: [], form: {} })
    },
    loadOrgs() {
      return api
        .get('/orgs', { tree: 1 })
        .then((d) => {
          const units = orgs.flatten(d.items, ['district', 'town', 'community'])
          const depts = orgs.flatten(d.items, ['department'])
          this.setData({ orgNames: units.map((o) => o.label), orgIds: units.map((o) => o.id), deptNames: depts.map((o) => o.label), deptIds: depts.map((o) => o.id) })
        })
        .catch(ui.toastError)
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
    submitAction() {
      const action = this.data.action
      const out = workflow.buildBody(action, this.data.form)
      if (out.error) {
        ui.toast(out.error)
        return Promise.resolve()
      }
      this.setData({ busy: true })
      return api
        .post(`/work/requests/${this.data.id}/${action}`, out.body)
        .then(() => {
          this.setData({ busy: false, action: '', fields: [], form: {} })
          ui.success('已提交')
          return this.load()
        })
        .catch((err) => {
          this.setData({ busy: false })
          ui.toastError(err)
          if (err.code === 'invalid_transition') return this.load()
          return undefined
        })
    },
  },
})
