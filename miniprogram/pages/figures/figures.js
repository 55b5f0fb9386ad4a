// 阳光公开: the resident's town beside the whole city this year — how many
// items were collected, the share resolved or answered, the median working
// days to close one, and the share filed by non-hukou residents. From GET
// /public/figures: aggregates only, the same figures staff see.
const page = require('../../behaviors/page')
const api = require('../../utils/api')
const stats = require('../../services/stats')
const reference = require('../../services/reference')
const session = require('../../utils/session')
const orgs = require('../../utils/orgs')
const format = require('../../utils/format')
const routes = require('../../utils/routes')

/** One org's figures as the page shows them. */
function view(f) {
  return {
    name: f.org.name,
    collected: String(f.collected),
    rate: f.rate_pct || format.percent(f.rate),
    closeDays: f.closed ? `${Math.round(f.close_median_days * 10) / 10}` : '—', // nothing closed yet: no median
    nonHukou: format.percent(f.non_hukou_share),
  }
}

Component({
  behaviors: [page],
  data: { state: 'loading', message: '', townId: 0, year: '', town: null, city: null },
  methods: {
    /** @param {{town?: string}} [query] a town id; default: the resident's own town */
    onLoad(query) {
      return this.load(Number(query && query.town) || 0)
    },
    onPullDownRefresh() {
      return this.load(this.data.townId).then(() => wx.stopPullDownRefresh())
    },
    /** Without a community there is no town: the profile is the next step. */
    goProfile() {
      wx.navigateTo({ url: routes.profile })
    },
    retry() {
      return this.load(this.data.townId)
    },
    /** @param {number} townId */
    load(townId) {
      this.setData({ state: 'loading' })
      const town = townId
        ? Promise.resolve(townId)
        : reference.orgTree().then((tree) => {
            const r = session.resident() || {}
            const towns = orgs.townsWithCommunities(tree)
            const at = orgs.locate(towns, r.community_id)
            return at ? towns[at[0]].id : 0
          })
      return town
        .then((id) => {
          if (!id) {
            this.setData({ state: 'empty', message: '请先在个人资料中选择所在社区' })
            return undefined
          }
          return stats.publicFigures(id).then((d) => {
            this.setData({ state: 'ready', townId: id, year: d.from.slice(0, 4), town: view(d.town), city: view(d.city) })
          })
        })
        .catch((err) => this.setData({ state: 'error', message: api.messageOf(err) }))
    },
  },
})
