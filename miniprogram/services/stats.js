// Figures: the cadre's jurisdiction (/work/stats).
const api = require('../utils/api')

module.exports = {
  /** @param {Record<string, any>} query from, to */
  jurisdiction: (query) => api.get('/work/stats', query),
}
