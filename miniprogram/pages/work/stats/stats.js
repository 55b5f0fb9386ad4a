// My jurisdiction's figures (GET /api/v1/work/stats): the headline rate
// (resolved + responded) / collected, overdue, and the hukou / non-hukou split.
const page = require('../../../behaviors/page')
const api = require('../../../utils/api')
const format = require('../../../utils/format')

const PERIODS = [
  { key: 'month', label: '本月' },
  { key: 'year', label: '本年' },
  { key: 'all', label: '全部' },
]

/** @param {string} key */
function range(key) {
  const today = format.today()
  if (key === 'month') return { from: `${today.slice(0, 7)}-01`, to: today }
  if (key === 'year') return { from: `${today.slice(0, 4)}-01-01`, to: today }
  return {}
}

/** @param {any} s */
function rateOf(s) {
  if (!s) return '—'
  if (typeof s.rate === 'number') return format.percent(s.rate)
  if (!s.collected) return '—'
  return format.percent(((s.resolved || 0) + (s.responded || 0)) / s.collected)
}

Component({
  behaviors: [page],
  data: { periods: PERIODS, period: 'month', state: 'loading', message: '', s: null, rate: '', hukouRate: '', nonHukouRate: '' },
  methods: {
    onLoad() {
      return this.load()
    },
    setPeriod(e) {
      this.setData({ period: e.currentTarget.dataset.key })
      return this.load()
    },
    load() {
      this.setData({ state: 'loading' })
      return api
        .get('/work/stats', range(this.data.period))
        .then((s) => {
          const by = s.by_residency || {}
          this.setData({ s, rate: rateOf(s), hukouRate: rateOf(by.hukou), nonHukouRate: rateOf(by.non_hukou), state: 'ready' })
        })
        .catch((err) => this.setData({ state: 'error', message: api.messageOf(err) }))
    },
  },
})
