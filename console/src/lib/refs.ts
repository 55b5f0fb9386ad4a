// Reference data most pages need — the org tree and the categories — loaded
// once per sign-in and shared.
import { reactive } from 'vue'
import { categories as catApi, orgs as orgApi } from '@/api/endpoints'
import type { Category, Org } from '@/api/types'
import { session } from './session'
import { isAdmin } from './roles'

export interface FlatOrg {
  id: number
  name: string
  kind: string
  depth: number
  active: boolean
  parentId: number | null
  /** "禅城区 / 祖庙街道 / 莲花社区" below the caller's root. */
  label: string
}

const state = reactive({
  tree: [] as Org[],
  flat: [] as FlatOrg[],
  categories: [] as Category[],
  loadedFor: '',
})

function flatten(nodes: Org[], up: string[], out: FlatOrg[]) {
  for (const n of nodes) {
    const names = [...up, n.name ?? '']
    out.push({
      id: n.id ?? 0,
      name: n.name ?? '',
      kind: n.kind ?? '',
      depth: n.depth ?? 0,
      active: n.active !== false,
      parentId: n.parent_id ?? null,
      label: names.join(' / '),
    })
    flatten(n.children ?? [], names, out)
  }
}

let pending: Promise<void> | null = null

/** Loads the tree and categories for the signed-in account (again after a change). */
export function loadRefs(force = false): Promise<void> {
  const who = session.token()
  if (!force && state.loadedFor === who && state.tree.length) return Promise.resolve()
  if (pending && !force) return pending
  pending = (async () => {
    const admin = isAdmin(session.account())
    const [tree, cats] = await Promise.all([admin ? orgApi.tree() : orgApi.publicTree(), catApi.active()])
    state.tree = tree.items
    const flat: FlatOrg[] = []
    flatten(tree.items, [], flat)
    state.flat = flat
    state.categories = cats.items
    state.loadedFor = who
  })().finally(() => {
    pending = null
  })
  return pending
}

export const refs = {
  get tree() {
    return state.tree
  },
  get flat() {
    return state.flat
  },
  get categories() {
    return state.categories
  },
  orgName(id: number | null | undefined): string {
    if (!id) return ''
    return state.flat.find((o) => o.id === id)?.name ?? `#${id}`
  },
  orgLabel(id: number | null | undefined): string {
    if (!id) return ''
    return state.flat.find((o) => o.id === id)?.label ?? `#${id}`
  },
  categoryName(id: number | null | undefined): string {
    if (!id) return ''
    return state.categories.find((c) => c.id === id)?.name ?? `#${id}`
  },
  ofKind(...kinds: string[]): FlatOrg[] {
    return state.flat.filter((o) => kinds.includes(o.kind) && o.active)
  },
}
