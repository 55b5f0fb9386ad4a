// Helpers over the public org tree (GET /api/v1/orgs?tree=1).

/**
 * Towns/streets that have communities, each with its district name and its
 * communities, in tree order: the two-step community picker.
 * @param {any[]} roots
 * @returns {{id: number, name: string, label: string, communities: {id: number, name: string}[]}[]}
 */
function townsWithCommunities(roots) {
  const out = []
  const walk = (node, district) => {
    if (!node || node.active === false) return
    const kids = node.children || []
    if (node.kind === 'town') {
      const communities = kids.filter((c) => c.kind === 'community' && c.active !== false).map((c) => ({ id: c.id, name: c.name }))
      if (communities.length) out.push({ id: node.id, name: node.name, label: district ? `${district} ${node.name}` : node.name, communities })
      return
    }
    const d = node.kind === 'district' ? node.name : district
    kids.forEach((k) => walk(k, d))
  }
  ;(roots || []).forEach((r) => walk(r, ''))
  return out
}

/**
 * Every org of a kind in the tree, flattened, with a path label.
 * @param {any[]} roots @param {string[]} kinds
 */
function flatten(roots, kinds) {
  const out = []
  const walk = (node, prefix) => {
    if (!node || node.active === false) return
    const label = prefix ? `${prefix} / ${node.name}` : node.name
    if (kinds.indexOf(node.kind) >= 0) out.push({ id: node.id, name: node.name, kind: node.kind, label })
    ;(node.children || []).forEach((k) => walk(k, node.kind === 'city' ? '' : label))
  }
  ;(roots || []).forEach((r) => walk(r, ''))
  return out
}

/** Where a community id sits in townsWithCommunities: [townIndex, communityIndex] or null. */
function locate(towns, communityId) {
  for (let i = 0; i < towns.length; i++) {
    const j = towns[i].communities.findIndex((c) => c.id === communityId)
    if (j >= 0) return [i, j]
  }
  return null
}

module.exports = { townsWithCommunities, flatten, locate }
