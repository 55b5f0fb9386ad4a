// Profile: community (two-step picker over the public org tree), residency
// 户籍 / 非户籍常住, name, phone (typed or WeChat's phone button), address,
// elder mode. PUT /api/v1/my/profile.
const page = require('../../behaviors/page')
const api = require('../../utils/api')
const reference = require('../../services/reference')
const profile = require('../../services/profile')
const session = require('../../utils/session')
const prefs = require('../../utils/prefs')
const orgs = require('../../utils/orgs')
const ui = require('../../utils/ui')
const routes = require('../../utils/routes')

const PHONE_RE = /^1\d{10}$/

Component({
  behaviors: [page],
  data: {
    first: false,
    state: 'loading',
    message: '',
    towns: [],
    townNames: [],
    townIndex: -1,
    communityNames: [],
    communityIndex: -1,
    residency: '',
    residencyOptions: [
      { value: 'hukou', label: '户籍居民' },
      { value: 'non_hukou', label: '非户籍常住居民' },
    ],
    name: '',
    phone: '',
    address: '',
    communityId: 0,
    saving: false,
  },
  methods: {
    /** @param {{first?: string}} [query] */
    onLoad(query) {
      const r = session.resident() || {}
      this.setData({
        first: !!(query && query.first === '1'),
        name: r.name || '',
        residency: r.residency || '',
        communityId: r.community_id || 0,
      })
      return this.load()
    },
    load() {
      this.setData({ state: 'loading' })
      return reference
        .orgTree()
        .then((tree) => {
          const towns = orgs.townsWithCommunities(tree)
          this.setData({ towns, townNames: towns.map((t) => t.label), state: towns.length ? 'ready' : 'empty', message: towns.length ? '' : '暂无可选社区' })
          this.pick(this.data.communityId)
          if (!this.data.first) return this.loadProfile()
          return undefined
        })
        .catch((err) => this.setData({ state: 'error', message: api.messageOf(err) }))
    },
    loadProfile() {
      return profile
        .get()
        .then((p) => {
          this.setData({ name: p.name || '', phone: p.phone || '', address: p.address || '', residency: p.residency || '' })
          if (p.community_id) this.pick(p.community_id)
        })
        .catch(ui.toastError)
    },
    /** Selects a community id in the pickers (if it is in the tree). */
    pick(communityId) {
      const at = orgs.locate(this.data.towns, communityId)
      if (!at) return
      const town = this.data.towns[at[0]]
      this.setData({ townIndex: at[0], communityNames: town.communities.map((c) => c.name), communityIndex: at[1], communityId })
    },
    onTownChange(e) {
      const i = Number(e.detail.value)
      const town = this.data.towns[i]
      this.setData({ townIndex: i, communityNames: town ? town.communities.map((c) => c.name) : [], communityIndex: -1, communityId: 0 })
    },
    onCommunityChange(e) {
      const j = Number(e.detail.value)
      const town = this.data.towns[this.data.townIndex]
      const c = town && town.communities[j]
      this.setData({ communityIndex: j, communityId: c ? c.id : 0 })
    },
    onResidency(e) {
      this.setData({ residency: e.detail.value })
    },
    onInput(e) {
      this.setData({ [e.currentTarget.dataset.field]: e.detail.value })
    },
    onElder(e) {
      const on = !!e.detail.value
      prefs.setElder(on)
      this.setData({ elder: on })
    },
    /** WeChat's phone button: the code is exchanged by the server. */
    onPhone(e) {
      const code = e.detail && e.detail.code
      if (!code) {
        ui.toast('未获取手机号，可以直接填写')
        return Promise.resolve()
      }
      return profile
        .phone(code)
        .then((p) => this.setData({ phone: p.phone || '' }))
        .catch(ui.toastError)
    },
    /** The PUT body, or the first problem with the form. */
    payload() {
      const name = this.data.name.trim()
      const phone = this.data.phone.trim()
      if (!this.data.communityId) return { error: '请选择所在社区' }
      if (!this.data.residency) return { error: '请选择户籍类型' }
      if (!name) return { error: '请填写姓名' }
      if (name.length > 32) return { error: '姓名不能超过32个字' }
      /** @type {Record<string, any>} */
      const body = {
        name,
        community_id: this.data.communityId,
        residency: this.data.residency,
        address: this.data.address.trim(),
        elder_mode: prefs.isElder(),
      }
      if (phone && phone.indexOf('*') < 0) {
        if (!PHONE_RE.test(phone)) return { error: '请填写11位手机号' }
        body.phone = phone
      }
      return { body }
    },
    save() {
      const p = this.payload()
      if (p.error) {
        ui.toast(p.error)
        return Promise.resolve()
      }
      this.setData({ saving: true })
      return profile
        .save(p.body)
        .then((profile) => {
          session.setResident(Object.assign({}, session.resident() || {}, profile))
          this.setData({ saving: false, phone: profile.phone || this.data.phone })
          ui.success('已保存')
          if (this.data.first) wx.reLaunch({ url: routes.home })
          else wx.navigateBack({})
        })
        .catch((err) => {
          this.setData({ saving: false })
          ui.toastError(err)
        })
    },
  },
})
