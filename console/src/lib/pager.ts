// Cursor paging (DESIGN §4.1) for tables: "上一页" keeps the cursors seen.
import { ref, shallowRef } from 'vue'
import type { Page } from '@/api/types'
import { failed } from './notify'

export function usePager<T>(load: (cursor: string) => Promise<Page<T>>) {
  const items = shallowRef<T[]>([])
  const loading = ref(false)
  const cursors = ref<string[]>([''])
  const next = ref('')

  async function fetchAt(cursor: string) {
    loading.value = true
    try {
      const page = await load(cursor)
      items.value = page.items
      next.value = page.next_cursor
    } catch (err) {
      failed(err)
    } finally {
      loading.value = false
    }
  }
  return {
    items,
    loading,
    next,
    page: () => cursors.value.length,
    /** From the first page (after a filter change). */
    reload: () => {
      cursors.value = ['']
      return fetchAt('')
    },
    /** The current page again (after an action). */
    refresh: () => fetchAt(cursors.value[cursors.value.length - 1]),
    forward: () => {
      if (!next.value) return
      cursors.value.push(next.value)
      return fetchAt(next.value)
    },
    back: () => {
      if (cursors.value.length < 2) return
      cursors.value.pop()
      return fetchAt(cursors.value[cursors.value.length - 1])
    },
  }
}
