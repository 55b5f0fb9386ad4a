// Names the work API leaves out: items carry category_id, community_id and
// handling_org_id only. Cadre pages load the public category list and org
// tree once per page; a failure there only leaves the names out.
const api = require('./api')
const orgs = require('./orgs')

/**
 * @returns {Promise<{categories: any[], tree: any[], categoryNames: Record<number, string>, orgNames: Record<number, string>}>}
 */
function load() {
  return Promise.all([api.get('/categories').catch(() => ({ items: [] })), api.get('/orgs', { tree: 1 }).catch(() => ({ items: [] }))]).then(([c, o]) => {
    /** @type {Record<number, string>} */
    const categoryNames = {}
    ;(c.items || []).forEach((x) => {
      categoryNames[x.id] = x.name
    })
    return { categories: c.items || [], tree: o.items || [], categoryNames, orgNames: orgs.names(o.items || []) }
  })
}

module.exports = { load }
