// The sign-in of this browser tab. The token lives in sessionStorage: it
// survives a reload of the tab but not its closing, is not shared with other
// tabs, and never goes to localStorage or a cookie (see README: "Console").
import { reactive } from 'vue'
import type { Account } from '@/api/types'

const KEY = 'zl.console.signin'

interface Stored {
  token: string
  expiresAt: string
  account: Account
}

function load(): Stored | null {
  try {
    const raw = sessionStorage.getItem(KEY)
    if (!raw) return null
    const s = JSON.parse(raw) as Stored
    if (!s.token || Date.parse(s.expiresAt) <= Date.now()) return null
    return s
  } catch {
    return null
  }
}

const state = reactive<{ current: Stored | null }>({ current: load() })

export const session = {
  /** The bearer token, or '' when signed out or expired. */
  token(): string {
    const c = state.current
    if (!c) return ''
    if (Date.parse(c.expiresAt) <= Date.now()) {
      session.clear()
      return ''
    }
    return c.token
  },
  account(): Account | null {
    return state.current?.account ?? null
  },
  signedIn(): boolean {
    return session.token() !== ''
  },
  set(token: string, expiresAt: string, account: Account): void {
    state.current = { token, expiresAt, account }
    sessionStorage.setItem(KEY, JSON.stringify(state.current))
  },
  setAccount(account: Account): void {
    if (!state.current) return
    state.current = { ...state.current, account }
    sessionStorage.setItem(KEY, JSON.stringify(state.current))
  },
  clear(): void {
    state.current = null
    sessionStorage.removeItem(KEY)
  },
}
