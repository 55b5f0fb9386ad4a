// Figures: the cadre's jurisdiction (/work/stats) and the public headline
// of a town beside the city (/public/figures, 阳光公开).
const api = require('../utils/api')

module.exports = {
  /** @param {Record<string, any>} query from, to @returns {Promise<import('../types/data').Data<'getWorkStats'>>} */
  jurisdiction: (query) => api.get('/work/stats', query),
  /** @param {number} townId @param {Record<string, any>} [period] from, to @returns {Promise<import('../types/data').Data<'getPublicFigures'>>} */
  publicFigures: (townId, period) => api.get('/public/figures', Object.assign({ org_id: townId }, period || {})),
}
