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

/**
 * The node with this id and its ancestors, root first: {node, up} or null.
 * @param {any[]} roots @param {number} id
 * @returns {{node: any, up: any[]}|null}
 */
function find(roots, id) {
  /** @type {{node: any, up: any[]}|null} */
  let found = null
  const walk = (node, up) => {
    if (found || !node) return
    if (node.id === id) {
      found = { node, up }
      return
    }
    ;(node.children || []).forEach((k) => walk(k, up.concat([node])))
  }
  ;(roots || []).forEach((r) => walk(r, []))
  return found
}

/**
 * Where staff of org ownId may transfer an item handled by handlingId: towns
 * and communities under their own org's parent (a sibling town of the same
 * district, the town of a community, a sibling community) or, at the city,
 * in its own subtree — as the server's TransferReach says — other than the
 * handling org itself.
 * @param {any[]} roots @param {number} ownId @param {number} handlingId
 */
function transferTargets(roots, ownId, handlingId) {
  const own = find(roots, ownId)
  if (!own) return []
  const top = own.up.length ? own.up[own.up.length - 1] : own.node
  return flatten([top], ['town', 'community']).filter((o) => o.id !== handlingId)
}

/**
 * The departments that may be invited on an item handled by handlingId: those
 * hanging under the item's district or under the city (the server's rule).
 * @param {any[]} roots @param {number} handlingId
 */
function invitableDepartments(roots, handlingId) {
  const at = find(roots, handlingId)
  if (!at) return []
  const chain = at.up.concat([at.node])
  const parents = [chain[0], chain[1]].filter((n) => n && (n.kind === 'city' || n.kind === 'district'))
  const out = []
  parents.forEach((p) => {
    ;(p.children || []).forEach((d) => {
      if (d.kind === 'department' && d.active !== false) out.push({ id: d.id, name: d.name, kind: d.kind, label: `${p.name} / ${d.name}` })
    })
  })
  return out
}

/** id → name of every org in the tree. @param {any[]} roots @returns {Record<number, string>} */
function names(roots) {
  /** @type {Record<number, string>} */
  const out = {}
  const walk = (n) => {
    out[n.id] = n.name
    ;(n.children || []).forEach(walk)
  }
  ;(roots || []).forEach(walk)
  return out
}

module.exports = { townsWithCommunities, flatten, locate, find, transferTargets, invitableDepartments, names }
