// Reference data every page shares: the active categories (/categories) and
// the public org tree (/orgs?tree=1). Fetched once and kept in storage with
// the server's reference_version (GET /config): fetched again only when the
// version changes, not once per page.
const api = require('../utils/api')
const appConfig = require('./config')
const orgs = require('../utils/orgs')

const KEY = 'zl_reference'

/** @typedef {import('../types/data').Data<'getCategories'>['items'][number]} Category */
/** @typedef {import('../types/data').Data<'getOrgs'>['items'][number]} Org */
/** @typedef {{version: string, categories: Category[], tree: Org[]}} Reference */

/** @type {Promise<Reference>|null} */
let loading = null

/** @returns {Reference|null} */
function stored() {
  const s = wx.getStorageSync(KEY)
  return s && typeof s === 'object' ? s : null
}

/**
 * {version, categories, tree}: from storage when the server's version is the
 * stored one, else fetched (and stored). A failure rejects, with nothing stored.
 * @returns {Promise<Reference>}
 */
function load() {
  if (loading) return loading
  const p = appConfig
    .load()
    .then((cfg) => {
      const have = stored()
      if (have && cfg.reference_version && have.version === cfg.reference_version) return have
      return Promise.all([api.get('/categories'), api.get('/orgs', { tree: 1 })]).then(([c, o]) => {
        /** @type {Reference} */
        const ref = { version: cfg.reference_version || '', categories: c.items || [], tree: o.items || [] }
        if (ref.version) wx.setStorageSync(KEY, ref)
        return ref
      })
    })
    .finally(() => {
      if (loading === p) loading = null
    })
  loading = p
  return p
}

/** @returns {Promise<Category[]>} the active categories in their order */
function categories() {
  return load().then((r) => r.categories)
}

/** @returns {Promise<Org[]>} the public org tree */
function orgTree() {
  return load().then((r) => r.tree)
}

/**
 * Names the work API leaves out (category, community and org ids); a failure
 * only leaves the names out.
 * @returns {Promise<{categories: Category[], tree: Org[], categoryNames: Record<number, string>, orgNames: Record<number, string>}>}
 */
function names() {
  return load()
    .catch(() => /** @type {Reference} */ ({ version: '', categories: [], tree: [] }))
    .then((r) => {
      /** @type {Record<number, string>} */
      const categoryNames = {}
      r.categories.forEach((x) => {
        categoryNames[x.id] = x.name
      })
      return { categories: r.categories, tree: r.tree, categoryNames, orgNames: orgs.names(r.tree) }
    })
}

module.exports = { load, categories, orgTree, names }
