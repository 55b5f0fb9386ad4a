// Messages to the user: ElMessage on demand, with its CSS.
import { ElMessage, ElMessageBox } from 'element-plus'
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/message-box/style/css'
import { ApiError } from '@/api/client'

export function ok(msg: string) {
  ElMessage({ type: 'success', message: msg, grouping: true })
}

/** A warning about the user's input, before any call. */
export function warn(msg: string) {
  ElMessage({ type: 'warning', message: msg, grouping: true })
}

/** Shows an error the API (or the network) answered; anything else is a bug and rethrown. */
export function failed(err: unknown) {
  if (err instanceof ApiError) {
    if (err.status === 401) return // the router takes the user to the sign-in page
    ElMessage({ type: 'error', message: err.message, grouping: true, duration: 5000 })
    return
  }
  ElMessage({ type: 'error', message: '出现意外错误，请刷新页面后重试', grouping: true })
  console.error(err)
}

/** Runs an API call, shows its error; resolves to undefined on failure. */
export async function attempt<T>(fn: () => Promise<T>, success?: string): Promise<T | undefined> {
  try {
    const out = await fn()
    if (success) ok(success)
    return out
  } catch (err) {
    failed(err)
    return undefined
  }
}

/** Asks for confirmation; false when the user cancels. */
export async function confirm(msg: string, title = '请确认'): Promise<boolean> {
  try {
    await ElMessageBox.confirm(msg, title, { type: 'warning', confirmButtonText: '确定', cancelButtonText: '取消' })
    return true
  } catch {
    return false
  }
}

/** Asks for a line of text (a reason); null when cancelled. */
export async function ask(msg: string, title: string, placeholder = ''): Promise<string | null> {
  try {
    const r = await ElMessageBox.prompt(msg, title, {
      confirmButtonText: '确定',
      cancelButtonText: '取消',
      inputPlaceholder: placeholder,
      inputValidator: (v: string) => (v && v.trim() ? true : '不能为空'),
    })
    return (r as { value: string }).value.trim()
  } catch {
    return null
  }
}
