// My jurisdiction's figures (GET /api/v1/work/stats, api/openapi/70-stats.yaml):
// the headline rate (resolved + responded) / collected as the server writes it
// (rate_pct), collected, resolved and responded, overdue, the non-hukou share
// and rate, and the categories with items. Periods are business days
// [from, to) in Beijing time: `to` is exclusive.
const page = require('../../../behaviors/page')
const api = require('../../../utils/api')
const stats = require('../../../services/stats')
const format = require('../../../utils/format')

const PERIODS = [
  { key: 'month', label: '本月' },
  { key: 'year', label: '本年' },
  { key: 'ten', label: '近十年' },
]

// How many categories the small list shows (most items first).
const TOP_CATEGORIES = 5

/**
 * The query of a period: from is the first day, to the day after the last one.
 * @param {string} key
 */
function range(key) {
  const today = format.today()
  const year = Number(today.slice(0, 4))
  const month = Number(today.slice(5, 7))
  if (key === 'month') {
    const next = month === 12 ? `${year + 1}-01-01` : `${year}-${month < 9 ? '0' : ''}${month + 1}-01`
    return { from: `${today.slice(0, 7)}-01`, to: next }
  }
  if (key === 'ten') return { from: `${year - 9}-01-01`, to: `${year + 1}-01-01` } // the server allows at most 10 years
  return { from: `${year}-01-01`, to: `${year + 1}-01-01` }
}

/**
 * What the page shows of a report.
 * @param {any} s the report
 */
function view(s) {
  const non = (s.by_residency && s.by_residency.non_hukou) || {}
  const categories = (s.by_category || [])
    .filter((c) => c.collected > 0)
    .sort((a, b) => b.collected - a.collected || a.category_id - b.category_id)
    .slice(0, TOP_CATEGORIES)
    .map((c) => ({ id: c.category_id, name: c.name, collected: c.collected, closed: (c.resolved || 0) + (c.responded || 0), rate: c.rate_pct }))
  return {
    org: (s.org && s.org.name) || '',
    rate: s.rate_pct || format.percent(s.rate),
    collected: s.collected || 0,
    resolved: s.resolved || 0,
    responded: s.responded || 0,
    closed: (s.resolved || 0) + (s.responded || 0),
    overdue: s.overdue || 0,
    nonHukou: { collected: non.collected || 0, share: format.percent(non.share || 0), rate: non.rate_pct || format.percent(non.rate || 0) },
    categories,
  }
}

Component({
  behaviors: [page],
  data: { periods: PERIODS, period: 'month', state: 'loading', message: '', v: null },
  methods: {
    onLoad() {
      return this.load()
    },
    onPullDownRefresh() {
      return this.load().then(() => wx.stopPullDownRefresh())
    },
    setPeriod(e) {
      this.setData({ period: e.currentTarget.dataset.key })
      return this.load()
    },
    load() {
      this.setData({ state: 'loading' })
      return stats
        .jurisdiction(range(this.data.period))
        .then((s) => this.setData({ v: view(s), state: 'ready', message: '' }))
        .catch((err) => this.setData({ state: 'error', message: api.messageOf(err) }))
    },
  },
})
